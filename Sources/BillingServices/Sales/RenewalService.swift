import BillingCore
import BillingProtocol
import BillingStore

/// Renewals (BILLING.md §11): `renewal_lead_days` before an order ends, one renewal opportunity
/// with its recurring items for the next term, priced by the tenant's renewal pricing, and a draft
/// quote when the tenant wants one. Winning it makes the follow-on order.
public struct RenewalService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func scan(_ params: RenewalsScan.Params, tenant: TenantID) async throws -> RenewalsScan.Result {
        try await store.inTenant(tenant) { transaction in
            try await Self.scan(asOf: try await transaction.day(params.asOf), in: transaction)
        }
    }

    /// Makes every renewal due on `asOf`; an order that already has its renewal gets none.
    public static func scan(asOf: CalendarDate, in transaction: TenantTransaction) async throws -> RenewalsScan.Result {
        let settings = try await SalesSettingsRepository(transaction).current()
        var opportunityIDs: [String] = []
        var quoteIDs: [String] = []
        var skipped = Set<Int64>()
        while true {
            let due = try await OpportunityRepository(transaction).ordersToRenew(
                asOf: asOf, leadDays: settings.renewalLeadDays, limit: 100 + skipped.count
            ).filter { !skipped.contains($0) }
            guard !due.isEmpty else { break }
            for order in try await OrderRepository(transaction).find(ids: due) {
                guard let renewal = try await renew(order, settings: settings, in: transaction) else {
                    skipped.insert(order.id)
                    continue
                }
                opportunityIDs.append(renewal.opportunity.id)
                if let quote = renewal.quote { quoteIDs.append(quote.id) }
            }
        }
        return .init(opportunityIds: opportunityIDs, quoteIds: quoteIDs)
    }

    /// The order's renewal, or nil when it cannot have one (a closed account, a term past the
    /// calendar, or a renewal made meanwhile).
    private static func renew(
        _ order: OrderRecord, settings: SalesSettingsRecord, in transaction: TenantTransaction
    ) async throws -> (opportunity: Opportunity, quote: Quote?)? {
        guard let end = order.endDate, let term = RenewalTerm.following(start: order.startDate, end: end),
            let stage = settings.firstStage("open")
        else { return nil }
        let account = try await AccountService.existing(
            String(order.accountID), field: "account_id", AccountRepository(transaction))
        guard account.status != "closed" else { return nil }
        let items = try await OrderRepository(transaction).items(of: [order.id])[order.id] ?? []
        let processes = try await BillingProcessRepository(transaction).find(ids: items.map(\.billingProcessID))
        let renewed = items.filter { item in
            item.status == "active" && processes[item.billingProcessID]?.kind == "recurring"
                && (item.endDate.map { $0 >= end } ?? true)
        }
        guard !renewed.isEmpty else { return nil }
        let currency = try Currency(code: order.currency)
        let fields = OpportunityFields(
            externalID: nil, name: "Renewal of order \(order.externalID ?? String(order.id))",
            priceBookID: order.priceBookID, closeDate: end, startDate: term.start, endDate: term.end,
            orderType: order.type)
        let opportunities = OpportunityRepository(transaction)
        guard
            let record = try await opportunities.insert(
                fields, accountID: order.accountID, currency: order.currency, stage: stage, renewalOf: order.id)
        else { return nil }
        let lines = try await price(
            renewed, of: order, account: account, settings: settings, start: term.start, currency: currency,
            in: transaction)
        _ = try await opportunities.replaceItems(of: record.id, with: lines)
        let opportunity = try await OpportunityService.wire(record, in: transaction)
        try await EventOutbox(transaction).append(
            .wire("opportunity.created", entity: "opportunity", id: opportunity.id, opportunity))
        try await OpportunityService.record(
            "renewal.created", opportunity, details: ["order_id": .string(String(order.id))], in: transaction)
        let quote =
            settings.renewalAutoQuote
            ? try await QuoteService.create(
                for: record, expiresOn: max(end, try await transaction.today()), in: transaction)
            : nil
        return (opportunity, quote)
    }

    /// The renewed items priced: at the order's prices (`same`), raised by the uplift, or at the
    /// catalog price on the renewal's start (`list`, the order's price where the catalog has none).
    private static func price(
        _ items: [OrderItemRecord], of order: OrderRecord, account: AccountRecord, settings: SalesSettingsRecord,
        start: CalendarDate, currency: Currency, in transaction: TenantTransaction
    ) async throws -> [PricedSaleLine] {
        var listed: [Int64: NewOrderItem] = [:]
        if settings.renewalPricing == "list" {
            let builder = OrderItemBuilder(
                transaction: transaction, account: account, currency: currency, priceBookID: order.priceBookID,
                orderStart: start, orderEnd: nil, alignedBillingDay: nil, accountBillingDay: nil)
            for item in items {
                let input = OrderItemInput(
                    productId: String(item.productID), serviceCode: item.serviceCode, quantity: item.quantity,
                    billingProcessId: String(item.billingProcessID))
                do {
                    listed[item.id] = try await builder.build([input]).first
                } catch is ValidationFailure {
                    // No catalog price on the renewal's start (or the product changed since): the
                    // item renews at the order's price rather than holding up every renewal.
                    continue
                }
            }
        }
        return try items.map { item in
            var terms = item.terms
            var source = "explicit"
            var priceID: Int64?
            if let found = listed[item.id] {
                terms = found.terms
                source = found.priceSource
                priceID = found.priceID
            } else if settings.renewalPricing == "uplift", let percent = settings.renewalUpliftPercent {
                terms = item.terms.adjusted(byPercent: percent)
            }
            let line = SaleLine(
                productID: item.productID, serviceCode: item.serviceCode, billingProcessID: item.billingProcessID,
                quantity: item.quantity, terms: terms, priceSource: source, priceID: priceID, discountPercent: .zero,
                startDate: nil, endDate: nil)
            return PricedSaleLine(
                line: line, amount: try SaleLinePricer.amount(of: line, currency: currency).description)
        }
    }
}
