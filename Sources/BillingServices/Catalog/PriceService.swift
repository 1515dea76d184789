import BillingCore
import BillingProtocol
import BillingStore

/// List prices in price books and negotiated prices in accounts' price plans, both kept as a
/// history that is only ever added to, and the price lookup partners can ask directly.
public struct PriceService: Sendable {
    let store: BillingStore

    /// At most this many prices per call, so one call stays one short transaction.
    static let maximumPricesPerCall = 1000

    public init(store: BillingStore) {
        self.store = store
    }

    public func setBookPrices(
        _ params: PriceBooksSetPrices.Params, tenant: TenantID
    ) async throws
        -> PriceBooksSetPrices.Result
    {
        try await store.inTenant(tenant) { transaction in
            guard let id = Int64(params.priceBookId),
                let book = try await PriceBookRepository(transaction).find(id: id)
            else { throw RPCError(.notFound, "no price book \(params.priceBookId)") }
            let prices = try await add(
                params.prices, toBook: book.id, account: nil, currency: book.currency, in: transaction)
            return .init(priceBookId: String(book.id), prices: prices)
        }
    }

    public func listBookPrices(_ params: PriceBooksListPrices.Params, tenant: TenantID) async throws -> Page<Price> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant) { transaction in
            guard let id = Int64(params.priceBookId), try await PriceBookRepository(transaction).find(id: id) != nil
            else { throw RPCError(.notFound, "no price book \(params.priceBookId)") }
            return try await page(
                PriceRepository(transaction).list(
                    priceBookID: id, productID: try IDFilter.parse(params.productId, "product"), after: after,
                    limit: limit + 1),
                limit: limit)
        }
    }

    public func setPlanPrices(_ params: PricePlansSet.Params, tenant: TenantID) async throws -> PricePlan {
        try await store.inTenant(tenant) { transaction in
            let account = try await AccountService.existing(
                params.accountId, field: "account_id", AccountRepository(transaction))
            guard account.status != "closed" else {
                throw ValidationFailure(
                    reason: "account_closed", field: "account_id", message: "account \(account.id) is closed")
            }
            let prices = try await add(
                params.prices, toBook: nil, account: account.id, currency: account.currency, in: transaction)
            return PricePlan(accountId: String(account.id), prices: prices)
        }
    }

    public func getPlan(_ params: PricePlansGet.Params, tenant: TenantID) async throws -> PricePlansGet.Result {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let accounts = AccountRepository(transaction)
            let account = try await AccountService.existing(params.accountId, field: "account_id", accounts)
            let day = try await transaction.day(params.on)
            let chain = try await accounts.chain(endingAt: account.id).map(\.id).reversed()
            let prices = try await PriceRepository(transaction).plan(
                chain: Array(chain), currency: account.currency, on: day)
            return .init(accountId: String(account.id), on: day, prices: prices.map(Self.wire))
        }
    }

    public func listPlanPrices(_ params: PricePlansList.Params, tenant: TenantID) async throws -> Page<Price> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant) { transaction in
            var accountID: Int64?
            if let id = params.accountId {
                accountID = try await AccountService.existing(id, field: "account_id", AccountRepository(transaction))
                    .id
            }
            return try await page(
                PriceRepository(transaction).list(
                    accountID: accountID, productID: try IDFilter.parse(params.productId, "product"), after: after,
                    limit: limit + 1),
                limit: limit)
        }
    }

    public func lookup(_ params: PricesLookup.Params, tenant: TenantID) async throws -> PricesLookup.Result {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let account = try await AccountService.existing(
                params.accountId, field: "account_id", AccountRepository(transaction))
            let currency = try params.currency.map { try Currency(code: $0) } ?? Currency(code: account.currency)
            var bookID: Int64?
            if let id = params.priceBookId { bookID = try await Self.book(id, currency: currency, in: transaction).id }
            let services = try await Self.products([params.productId], locking: false, in: transaction)
            guard let productID = Int64(params.productId),
                services[productID]?.contains(where: { $0.code == params.serviceCode }) == true
            else { throw Self.unknownService(params.serviceCode, product: params.productId, field: "service_code") }
            let day = try await transaction.day(params.on)
            let wanted = PriceRepository.Wanted(productID: productID, serviceCode: params.serviceCode, day: day)
            let found = try await PriceLookup(transaction: transaction).prices(
                [wanted], for: account, currency: currency.code, priceBookID: bookID, field: { _ in "service_code" }
            )[0]
            if let quantity = params.quantity, quantity < .zero {
                throw ValidationFailure(
                    reason: "invalid_quantity", field: "quantity", message: "the quantity cannot be negative")
            }
            let amount = try params.quantity.map { quantity in
                do {
                    return try Pricing.charge(
                        quantity: quantity, model: found.record.terms.model,
                        includedQuantity: found.record.terms.includedQuantity, currency: currency
                    ).description
                } catch {
                    throw ValidationFailure(
                        reason: "amount_too_large", field: "quantity", message: "the charge is too large to bill")
                }
            }
            return .init(
                source: found.source.rawValue, price: Self.wire(found.record), on: day, quantity: params.quantity,
                amount: amount)
        }
    }

    // MARK: - Steps and rules

    /// Validates `inputs` against the products they price and adds them to a book or a plan;
    /// returns the stored entries in input order, recording an event for each new one.
    private func add(
        _ inputs: [PriceInput], toBook bookID: Int64?, account accountID: Int64?, currency: String,
        in transaction: TenantTransaction
    ) async throws -> [Price] {
        guard (1...Self.maximumPricesPerCall).contains(inputs.count) else {
            throw ValidationFailure(
                reason: "invalid_price_count", field: "prices",
                message: "give between 1 and \(Self.maximumPricesPerCall) prices per call")
        }
        let services = try await Self.products(inputs.map(\.productId), locking: true, in: transaction)
        let today = inputs.contains { $0.effectiveFrom == nil } ? try await transaction.day(nil) : nil
        var seen = Set<String>()
        let prices = try inputs.enumerated().map { index, input in
            let field = "prices[\(index)]"
            guard let productID = Int64(input.productId),
                let service = services[productID]?.first(where: { $0.code == input.serviceCode }),
                let kind = ServiceKind(rawValue: service.kind)
            else {
                throw Self.unknownService(input.serviceCode, product: input.productId, field: "\(field).service_code")
            }
            if let given = try input.currency.map({ try Currency(code: $0, field: "\(field).currency").code }),
                given != currency
            {
                throw ValidationFailure(
                    reason: "currency_mismatch", field: "\(field).currency",
                    message: "the price is in \(given) but \(bookID == nil ? "the account" : "the price book") "
                        + "bills in \(currency)")
            }
            let effectiveFrom = input.effectiveFrom ?? today
            guard seen.insert("\(productID) \(input.serviceCode) \(effectiveFrom?.description ?? "")").inserted else {
                throw ValidationFailure(
                    reason: "duplicate_price", field: field,
                    message: "the same service and effective_from appear twice in prices")
            }
            let terms = try PriceTerms.validate(
                kind: kind, pricingModel: service.pricingModel, unitPrice: input.unitPrice,
                packageSize: input.packageSize, tiers: input.tiers, includedQuantity: input.includedQuantity,
                frequency: input.frequency, field: field)
            return NewPrice(
                priceBookID: bookID, accountID: accountID, productID: productID, serviceCode: input.serviceCode,
                currency: currency, terms: terms, effectiveFrom: effectiveFrom)
        }
        let stored = try await PriceRepository(transaction).add(prices)
        var events: [NewEvent] = []
        for (index, (price, entry)) in zip(prices, stored).enumerated() {
            guard entry.isNew else {
                guard entry.record.terms == price.terms else { throw Self.priceExists(entry.record, index: index) }
                continue
            }
            let wire = Self.wire(entry.record)
            events.append(try .wire("price.created", entity: "price", id: wire.id, wire))
        }
        try await EventOutbox(transaction).append(events)
        return stored.map { Self.wire($0.record) }
    }

    /// The services of each of these products; -32003 when one does not exist. `locking` holds
    /// the products against a change of their services until the transaction ends (for writing
    /// prices of them).
    private static func products(
        _ ids: [String], locking: Bool, in transaction: TenantTransaction
    ) async throws
        -> [Int64: [ProductServiceRecord]]
    {
        let products = ProductRepository(transaction)
        let numbers = Array(Set(ids.compactMap { Int64($0) }))
        if locking { _ = try await products.lockForPricing(numbers) }
        let services = try await products.services(of: numbers)
        if let missing = ids.first(where: { Int64($0).map { services[$0] == nil } ?? true }) {
            throw RPCError(.notFound, "no product \(missing)")
        }
        return services
    }

    private static func book(
        _ id: String, currency: Currency, in transaction: TenantTransaction
    ) async throws
        -> PriceBookRecord
    {
        guard let number = Int64(id), let book = try await PriceBookRepository(transaction).find(id: number) else {
            throw RPCError(.notFound, "no price book \(id)")
        }
        guard book.currency == currency.code else {
            throw ValidationFailure(
                reason: "currency_mismatch", field: "price_book_id",
                message: "price book \(book.id) is in \(book.currency), not \(currency.code)")
        }
        return book
    }

    private func page(_ records: [PriceRecord], limit: Int) -> Page<Price> {
        let items = records.prefix(limit).map(Self.wire)
        return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
    }

    private static func unknownService(_ code: String, product: String, field: String) -> ValidationFailure {
        ValidationFailure(reason: "unknown_service", field: field, message: "product \(product) has no service \(code)")
    }

    private static func priceExists(_ record: PriceRecord, index: Int) -> ValidationFailure {
        ValidationFailure(
            reason: "price_exists", field: "prices[\(index)]",
            message: "product \(record.productID) service \(record.serviceCode) already has a different price "
                + "from \(record.effectiveFrom); prices are never overwritten, give the new one a later effective_from"
        )
    }

    static func wire(_ record: PriceRecord) -> Price {
        Price(
            id: String(record.id), priceBookId: record.priceBookID.map(String.init),
            accountId: record.accountID.map(String.init), productId: String(record.productID),
            serviceCode: record.serviceCode, currency: record.currency, terms: record.terms,
            effectiveFrom: record.effectiveFrom, createdAt: record.createdAt)
    }
}
