import BillingCore
import BillingProtocol
import BillingStore

/// Price books: one currency each, one default per currency.
public struct PriceBookService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func create(_ params: PriceBooksCreate.Params, tenant: TenantID) async throws -> PriceBook {
        let name = try FieldRules.name(params.name, field: "name")
        let currency = try Currency(code: params.currency).code
        let externalID = try FieldRules.externalID(params.externalId)
        return try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: PriceBooksCreate.name, key: params.idempotencyKey, params: params, in: transaction
            ) {
                let books = PriceBookRepository(transaction)
                let isDefault = params.isDefault ?? false
                if isDefault { try await Self.clearDefault(of: currency, in: transaction) }
                let book = try await books.insert(
                    name: name, currency: currency, externalID: externalID, isDefault: isDefault)
                let wire = Self.wire(book)
                try await Self.record("price_book.created", wire, in: transaction)
                return wire
            }
        }
    }

    public func get(_ reference: ObjectReference, tenant: TenantID) async throws -> PriceBook {
        try await store.inTenant(tenant) { transaction in
            let books = PriceBookRepository(transaction)
            let book = try await reference.resolve(
                "price book", byID: { try await books.find(id: $0) },
                byExternalID: { try await books.find(externalID: $0) })
            return Self.wire(book)
        }
    }

    public func list(_ params: PriceBooksList.Params, tenant: TenantID) async throws -> Page<PriceBook> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        let currency = try params.currency.map { try Currency(code: $0).code }
        return try await store.inTenant(tenant) { transaction in
            let records = try await PriceBookRepository(transaction).list(
                currency: currency, after: after, limit: limit + 1)
            let items = records.prefix(limit).map(Self.wire)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func update(_ params: PriceBooksUpdate.Params, tenant: TenantID) async throws -> PriceBook {
        try await store.inTenant(tenant) { transaction in
            let books = PriceBookRepository(transaction)
            guard let id = Int64(params.id), let current = try await books.find(id: id, forUpdate: true) else {
                throw RPCError(.notFound, "no price book \(params.id)")
            }
            if let expected = params.expectedVersion, expected != current.version {
                throw RPCError(
                    .conflict, "price book \(current.id) is at version \(current.version); reload it and retry")
            }
            if params.isDefault == false, current.isDefault {
                throw ValidationFailure(
                    reason: "default_required",
                    field: "is_default",
                    message: "a currency keeps its default price book; make another book the default instead"
                )
            }
            let name = try params.name.map { try FieldRules.name($0, field: "name") } ?? current.name
            var externalID = current.externalID
            if case .set(let newExternalID) = params.externalId {
                externalID = try FieldRules.externalID(newExternalID)
            }
            let isDefault = params.isDefault ?? current.isDefault
            guard name != current.name || externalID != current.externalID || isDefault != current.isDefault else {
                return Self.wire(current)
            }
            if isDefault, !current.isDefault {
                try await Self.clearDefault(of: current.currency, keeping: current.id, in: transaction)
            }
            guard
                let book = try await books.update(
                    id: current.id, name: name, externalID: externalID, isDefault: isDefault, version: current.version)
            else { throw RPCError(.conflict, "price book \(current.id) changed meanwhile; reload it and retry") }
            let wire = Self.wire(book)
            try await Self.record("price_book.updated", wire, in: transaction)
            return wire
        }
    }

    /// Takes the default role from the currency's current default book, recording that change.
    private static func clearDefault(
        of currency: String, keeping: Int64? = nil, in transaction: TenantTransaction
    )
        async throws
    {
        if let previous = try await PriceBookRepository(transaction).clearDefault(of: currency, keeping: keeping) {
            try await record("price_book.updated", wire(previous), in: transaction)
        }
    }

    static func wire(_ record: PriceBookRecord) -> PriceBook {
        PriceBook(
            id: String(record.id),
            externalId: record.externalID,
            name: record.name,
            currency: record.currency,
            isDefault: record.isDefault,
            version: record.version,
            createdAt: record.createdAt,
            updatedAt: record.updatedAt
        )
    }

    private static func record(_ type: String, _ book: PriceBook, in transaction: TenantTransaction) async throws {
        try await EventOutbox(transaction).append(.wire(type, entity: "price_book", id: book.id, book))
    }
}
