import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Quotes: an opportunity's line items frozen with totals and the tax their invoice would
/// carry; sent, then accepted (its lines become the order, once) or rejected.
public struct QuoteService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func create(_ params: QuotesCreate.Params, tenant: TenantID) async throws -> Quote {
        try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: QuotesCreate.name, key: params.idempotencyKey, params: params, in: transaction
            ) {
                let opportunity = try await OpportunityService.locked(params.opportunityId, in: transaction)
                return try await Self.create(for: opportunity, expiresOn: params.expiresOn, in: transaction)
            }
        }
    }

    public func get(_ params: IdentifiedBy, tenant: TenantID) async throws -> Quote {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            try await Self.wire(try await Self.existing(params.id, in: transaction), in: transaction)
        }
    }

    public func list(_ params: QuotesList.Params, tenant: TenantID) async throws -> Page<Quote> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        let status = try params.status.map {
            try FieldRules.oneOf(
                $0, ["draft", "sent", "accepted", "rejected"], field: "status", reason: "invalid_status")
        }
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            var opportunityID: Int64?
            if let id = params.opportunityId {
                guard let number = Int64(id), try await OpportunityRepository(transaction).find(id: number) != nil
                else { throw RPCError(.notFound, "no opportunity \(id) (opportunity_id)") }
                opportunityID = number
            }
            let records = try await QuoteRepository(transaction).list(
                opportunityID: opportunityID, status: status, after: after, limit: limit + 1)
            let items = try await Self.wire(Array(records.prefix(limit)), in: transaction)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func send(_ params: IdentifiedBy, tenant: TenantID) async throws -> Quote {
        try await store.inTenant(tenant) { transaction in
            let quote = try await Self.existing(params.id, forUpdate: true, in: transaction)
            if quote.status == "sent" { return try await Self.wire(quote, in: transaction) }
            guard quote.status == "draft" else { throw Self.decided(quote) }
            try await Self.checkNotExpired(quote, in: transaction)
            return try await Self.decide(quote, "sent", event: "quote.sent", in: transaction)
        }
    }

    /// Accepting again returns the quote as accepted; the order is made once.
    public func accept(_ params: IdentifiedBy, tenant: TenantID) async throws -> Quote {
        try await store.inTenant(tenant) { transaction in
            let found = try await Self.existing(params.id, in: transaction)
            // The opportunity first, as set_stage locks it: accepting and winning cannot both make an order.
            let opportunity = try await OpportunityService.locked(String(found.opportunityID), in: transaction)
            let quote = try await Self.existing(params.id, forUpdate: true, in: transaction)
            if quote.status == "accepted" { return try await Self.wire(quote, in: transaction) }
            guard quote.status == "draft" || quote.status == "sent" else { throw Self.decided(quote) }
            try await Self.checkNotExpired(quote, in: transaction)
            if let orderID = opportunity.orderID {
                throw ValidationFailure(
                    reason: "opportunity_has_order", field: "id",
                    message: "opportunity \(opportunity.id) already became order \(orderID)")
            }
            guard opportunity.outcome != "lost" else {
                throw ValidationFailure(
                    reason: "opportunity_closed", field: "id",
                    message: "opportunity \(opportunity.id) is lost (\(opportunity.stage))")
            }
            let lines = try await QuoteRepository(transaction).lines(of: [quote.id])[quote.id]?.map(\.line) ?? []
            let order = try await SaleOrderWriter(transaction: transaction).order(for: opportunity, lines: lines)
            guard let orderID = Int64(order.id) else { throw RPCError(.notFound, "no order \(order.id)") }
            let opportunities = OpportunityRepository(transaction)
            let linked = try await opportunities.link(id: opportunity.id, order: orderID)
            let settings = try await SalesSettingsRepository(transaction).current()
            if linked.outcome != "won", let won = settings.firstStage("won") {
                _ = try await OpportunityService.setStage(won.name, of: linked, in: transaction)
            } else {
                try await OpportunityService.record(
                    "opportunity.updated", try await OpportunityService.wire(linked, in: transaction),
                    details: ["quote_id": .string(String(quote.id))], in: transaction)
            }
            return try await Self.decide(quote, "accepted", orderID: orderID, event: "quote.accepted", in: transaction)
        }
    }

    public func reject(_ params: QuotesReject.Params, tenant: TenantID) async throws -> Quote {
        let reason = try FieldRules.label(params.reason, field: "reason")
        return try await store.inTenant(tenant) { transaction in
            let quote = try await Self.existing(params.id, forUpdate: true, in: transaction)
            if quote.status == "rejected" { return try await Self.wire(quote, in: transaction) }
            guard quote.status == "draft" || quote.status == "sent" else { throw Self.decided(quote) }
            return try await Self.decide(
                quote, "rejected", rejectionReason: reason, event: "quote.rejected", in: transaction)
        }
    }

    // MARK: - Steps

    /// Snapshots the opportunity's line items into a new draft quote, its tax estimated for the
    /// opportunity's start as its invoice would compute it (BILLING.md §8).
    static func create(
        for opportunity: OpportunityRecord, expiresOn: CalendarDate?, in transaction: TenantTransaction
    ) async throws -> Quote {
        guard opportunity.outcome == "open" else {
            throw ValidationFailure(
                reason: "opportunity_closed", field: "opportunity_id",
                message: "opportunity \(opportunity.id) is \(opportunity.outcome) (\(opportunity.stage))")
        }
        let items = try await OpportunityRepository(transaction).items(of: [opportunity.id])[opportunity.id] ?? []
        guard !items.isEmpty else {
            throw ValidationFailure(
                reason: "no_items", field: "opportunity_id",
                message: "opportunity \(opportunity.id) has no line items to quote")
        }
        let today = try await transaction.today()
        let settings = try await SalesSettingsRepository(transaction).current()
        let expiry = expiresOn ?? today.adding(days: settings.quoteValidityDays) ?? today
        guard expiry >= today else {
            throw ValidationFailure(
                reason: "expiry_in_past", field: "expires_on", message: "a quote cannot expire before today (\(today))")
        }
        let currency = try Currency(code: opportunity.currency)
        let products = ProductRepository(transaction)
        let productIDs = Array(Set(items.map(\.item.productID)))
        let services = try await products.services(of: productIDs)
        var names: [Int64: String] = [:]
        for id in productIDs { names[id] = try await products.find(id: id)?.name }
        let processes = try await BillingProcessRepository(transaction).find(ids: items.map(\.item.billingProcessID))
        let account = try await AccountService.existing(
            String(opportunity.accountID), field: "account_id", AccountRepository(transaction))
        try OrderService.checkOpen(account)
        var lines: [QuoteLineRecord] = []
        var due: [DueTransaction] = []
        for (index, item) in items.enumerated() {
            let line = item.item
            let service = services[line.productID]?.first { $0.code == line.serviceCode }
            let description =
                "\(names[line.productID] ?? String(line.productID)) – \(service?.name ?? line.serviceCode)"
            let category = service?.taxCategory ?? "standard"
            guard let amount = Money(item.amount, currency: currency) else { throw MoneyOverflow() }
            lines.append(
                QuoteLineRecord(line: line, description: description, amount: item.amount, taxCategory: category))
            due.append(
                DueTransaction(
                    id: Int64(index), accountID: account.id, rootID: account.rootID,
                    kind: processes[line.billingProcessID]?.kind == "usage" ? "usage" : "recurring", amount: amount,
                    periodStart: nil, periodEnd: nil, quantity: line.quantity, unitPrice: line.terms.model.unitPrice,
                    productName: names[line.productID] ?? "", serviceName: service?.name ?? "", taxCategory: category,
                    generate: "invoice"))
        }
        let documents = try await InvoiceRunner.compose(
            due, invoiceDate: opportunity.startDate, roots: [account.rootID], in: transaction)
        let estimate = try Self.estimate(documents, currency: currency)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let record = try await QuoteRepository(transaction).insert(
            NewQuote(
                opportunityID: opportunity.id, accountID: opportunity.accountID, currency: currency.code,
                expiresOn: expiry, taxDate: opportunity.startDate, lines: lines,
                subtotal: estimate.subtotal.description, taxTotal: estimate.tax.description,
                total: estimate.total.description,
                taxBreakdown: String(decoding: try encoder.encode(estimate.breakdown), as: UTF8.self),
                notes: String(decoding: try encoder.encode(estimate.notes), as: UTF8.self)))
        let quote = try await wire(record, in: transaction)
        try await EventOutbox(transaction).append(.wire("quote.created", entity: "quote", id: quote.id, quote))
        return quote
    }

    /// The documents' totals and tax breakdowns together (one document, unless lines go to
    /// different invoicers), rows of the same rate merged.
    private static func estimate(
        _ documents: [DraftDocument], currency: Currency
    ) throws
        -> (subtotal: Money, tax: Money, total: Money, breakdown: [TaxBreakdownRow], notes: [String])
    {
        var subtotal: Int64 = 0
        var tax: Int64 = 0
        var rows: [(category: String, percent: Decimal6, priority: Int, base: Int64, amount: Int64)] = []
        var notes: [String] = []
        for document in documents {
            subtotal = try Money.adding(subtotal, document.subtotal.minorUnits)
            tax = try Money.adding(tax, document.taxTotal.minorUnits)
            for row in document.taxBreakdown {
                if let index = rows.firstIndex(where: {
                    $0.category == row.category && $0.percent == row.percent && $0.priority == row.priority
                }) {
                    rows[index].base = try Money.adding(rows[index].base, row.base.minorUnits)
                    rows[index].amount = try Money.adding(rows[index].amount, row.amount.minorUnits)
                } else {
                    rows.append((row.category, row.percent, row.priority, row.base.minorUnits, row.amount.minorUnits))
                }
            }
            notes += document.notes.filter { !notes.contains($0) }
        }
        return (
            Money(minorUnits: subtotal, currency: currency), Money(minorUnits: tax, currency: currency),
            Money(minorUnits: try Money.adding(subtotal, tax), currency: currency),
            rows.map {
                TaxBreakdownRow(
                    category: $0.category, rate: $0.percent,
                    base: Money(minorUnits: $0.base, currency: currency).description,
                    amount: Money(minorUnits: $0.amount, currency: currency).description)
            }, notes
        )
    }

    private static func decide(
        _ quote: QuoteRecord, _ status: String, orderID: Int64? = nil, rejectionReason: String? = nil, event: String,
        in transaction: TenantTransaction
    ) async throws -> Quote {
        let record = try await QuoteRepository(transaction).decide(
            id: quote.id, status: status, orderID: orderID, rejectionReason: rejectionReason)
        let wired = try await wire(record, in: transaction)
        try await EventOutbox(transaction).append(.wire(event, entity: "quote", id: wired.id, wired))
        return wired
    }

    private static func existing(
        _ id: String, forUpdate: Bool = false, in transaction: TenantTransaction
    ) async throws -> QuoteRecord {
        guard let number = Int64(id),
            let quote = try await QuoteRepository(transaction).find(
                id: number, forUpdate: forUpdate)
        else { throw RPCError(.notFound, "no quote \(id)") }
        return quote
    }

    private static func checkNotExpired(_ quote: QuoteRecord, in transaction: TenantTransaction) async throws {
        let today = try await transaction.today()
        guard quote.expiresOn >= today else {
            throw ValidationFailure(
                reason: "quote_expired", field: "id", message: "quote \(quote.id) expired on \(quote.expiresOn)")
        }
    }

    private static func decided(_ quote: QuoteRecord) -> ValidationFailure {
        ValidationFailure(
            reason: "quote_\(quote.status)", field: "id", message: "quote \(quote.id) is already \(quote.status)")
    }

    // MARK: - Wire

    static func wire(_ record: QuoteRecord, in transaction: TenantTransaction) async throws -> Quote {
        try await wire([record], in: transaction)[0]
    }

    static func wire(_ records: [QuoteRecord], in transaction: TenantTransaction) async throws -> [Quote] {
        guard !records.isEmpty else { return [] }
        let lines = try await QuoteRepository(transaction).lines(of: records.map(\.id))
        let today = try await transaction.today()
        let decoder = JSONDecoder()
        return try records.map { record in
            let open = record.status == "draft" || record.status == "sent"
            return Quote(
                id: String(record.id), opportunityId: String(record.opportunityID),
                accountId: String(record.accountID), currency: record.currency,
                status: open && record.expiresOn < today ? "expired" : record.status, expiresOn: record.expiresOn,
                taxDate: record.taxDate,
                lines: (lines[record.id] ?? []).map { stored in
                    let line = stored.line
                    return QuoteLine(
                        productId: String(line.productID), serviceCode: line.serviceCode,
                        description: stored.description, billingProcessId: String(line.billingProcessID),
                        quantity: line.quantity, terms: line.terms, discountPercent: line.discountPercent,
                        amount: stored.amount, taxCategory: stored.taxCategory, startDate: line.startDate,
                        endDate: line.endDate)
                },
                subtotal: record.subtotal, taxTotal: record.taxTotal, total: record.total,
                taxBreakdown: try decoder.decode([TaxBreakdownRow].self, from: Data(record.taxBreakdown.utf8)),
                notes: try decoder.decode([String].self, from: Data(record.notes.utf8)),
                rejectionReason: record.rejectionReason, orderId: record.orderID.map(String.init),
                version: record.version, createdAt: record.createdAt, updatedAt: record.updatedAt,
                sentAt: record.sentAt, decidedAt: record.decidedAt)
        }
    }
}
