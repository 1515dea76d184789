import BillingCore
import BillingProtocol
import BillingStore
import Postgres

/// VAT rates by country, tax category and validity; invoice runs take the rates in effect on the
/// invoice date.
public struct TaxRateService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func create(_ params: TaxRatesCreate.Params, tenant: TenantID) async throws -> TaxRate {
        let country = try CountryCode(params.country).code
        let category = try FieldRules.label(params.taxCategory, field: "tax_category") ?? ""
        guard params.rate >= .zero, params.rate <= Decimal6(100) else {
            throw ValidationFailure(reason: "invalid_rate", field: "rate", message: "a rate is 0 to 100 percent")
        }
        let priority = params.priority ?? 0
        guard (0...9).contains(priority) else {
            throw ValidationFailure(reason: "invalid_priority", field: "priority", message: "priority is 0 to 9")
        }
        try Self.checkRange(from: params.validFrom, to: params.validTo)
        let name = try params.name.map { try FieldRules.name($0, field: "name") }
        return try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: TaxRatesCreate.name, key: params.idempotencyKey, params: params, in: transaction
            ) {
                let record = try await Self.refusingOverlap {
                    try await TaxRateRepository(transaction).insert(
                        name: name, country: country, taxCategory: category, rate: params.rate, priority: priority,
                        validFrom: params.validFrom, validTo: params.validTo)
                }
                let wire = Self.wire(record)
                try await EventOutbox(transaction).append(
                    .wire("tax_rate.created", entity: "tax_rate", id: wire.id, wire))
                return wire
            }
        }
    }

    public func list(_ params: TaxRatesList.Params, tenant: TenantID) async throws -> Page<TaxRate> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        let country = try params.country.map { try CountryCode($0).code }
        return try await store.inTenant(tenant) { transaction in
            let records = try await TaxRateRepository(transaction).list(
                country: country, taxCategory: params.taxCategory, on: params.on, after: after, limit: limit + 1)
            let items = records.prefix(limit).map(Self.wire)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func update(_ params: TaxRatesUpdate.Params, tenant: TenantID) async throws -> TaxRate {
        try await store.inTenant(tenant) { transaction in
            let rates = TaxRateRepository(transaction)
            guard let id = Int64(params.id), let current = try await rates.find(id: id, forUpdate: true) else {
                throw RPCError(.notFound, "no tax rate \(params.id)")
            }
            if let expected = params.expectedVersion, expected != current.version {
                throw RPCError(
                    .conflict, "tax rate \(current.id) is at version \(current.version); reload it and retry")
            }
            var name = current.name
            if case .set(let newName) = params.name {
                name = try newName.map { try FieldRules.name($0, field: "name") }
            }
            var validTo = current.validTo
            if case .set(let newEnd) = params.validTo { validTo = newEnd }
            try Self.checkRange(from: current.validFrom, to: validTo)
            guard name != current.name || validTo != current.validTo else { return Self.wire(current) }
            guard
                let updated = try await Self.refusingOverlap({
                    try await rates.update(id: current.id, name: name, validTo: validTo, version: current.version)
                })
            else { throw RPCError(.conflict, "tax rate \(current.id) changed meanwhile; reload it and retry") }
            let wire = Self.wire(updated)
            try await EventOutbox(transaction).append(.wire("tax_rate.updated", entity: "tax_rate", id: wire.id, wire))
            return wire
        }
    }

    private static func checkRange(from: CalendarDate, to: CalendarDate?) throws {
        if let to, to < from {
            throw ValidationFailure(
                reason: "end_before_start", field: "valid_to",
                message: "valid_to (\(to)) is before valid_from (\(from))")
        }
    }

    /// The exclusion constraint's refusal, as the rule it is.
    private static func refusingOverlap<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.sqlState == "23P01" {
            throw ValidationFailure(
                reason: "overlapping_rate", field: "valid_from",
                message: "another rate of this country, category and priority applies on some of these days; "
                    + "end it first (valid_to)")
        }
    }

    static func wire(_ record: TaxRateRecord) -> TaxRate {
        TaxRate(
            id: String(record.id), name: record.name, country: record.country, taxCategory: record.taxCategory,
            rate: record.rate, priority: record.priority, validFrom: record.validFrom, validTo: record.validTo,
            version: record.version, createdAt: record.createdAt, updatedAt: record.updatedAt)
    }
}
