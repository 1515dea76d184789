import BillingCore
import BillingStore

/// Rates usage in arrears (BILLING.md §7): each billing period over before an invoice run's
/// target gets a usage transaction, dated the day after it ends, for its quantity by the item's
/// aggregation at the item's frozen price (included quantity first). A period with usage recorded
/// after it was rated gets a transaction for the difference, so what was rated never changes and
/// the period's transactions always sum to the charge of its whole usage.
public struct UsageRating: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    /// Periods rated per transaction.
    static let batchSize = 500

    /// Rates every period of the tenant due by `target` (of the orders of `accountIDs` only, when
    /// given); returns how many periods it rated.
    @discardableResult
    public func rate(before target: CalendarDate, accountIDs: [Int64]?, tenant: TenantID) async throws -> Int {
        var rated = 0
        while true {
            let batch = try await store.inTenant(tenant) { transaction in
                try await Self.rate(before: target, accountIDs: accountIDs, in: transaction)
            }
            rated += batch
            if batch < Self.batchSize { return rated }
        }
    }

    static func rate(
        before target: CalendarDate, accountIDs: [Int64]?, in transaction: TenantTransaction
    ) async throws
        -> Int
    {
        let usage = UsageRepository(transaction)
        let periods = try await usage.periodsToRate(before: target, accountIDs: accountIDs, limit: batchSize)
        guard !periods.isEmpty else { return 0 }
        let items = Dictionary(
            uniqueKeysWithValues: try await usage.items(ids: Array(Set(periods.map(\.orderItemID)))).map { ($0.id, $0) }
        )
        let processes = try await BillingProcessRepository(transaction).find(ids: items.values.map(\.billingProcessID))
        let orders = Dictionary(
            uniqueKeysWithValues: try await OrderRepository(transaction).find(
                ids: Array(Set(items.values.map(\.orderID)))
            )
            .map { ($0.id, $0) })
        var charges: [NewUsageCharge] = []
        var settled: [UsagePeriodKey: Decimal6] = [:]
        for period in periods {
            guard let item = items[period.orderItemID], let order = orders[item.orderID],
                let process = processes[item.billingProcessID], let billingDate = period.periodEnd.adding(days: 1)
            else { continue }
            let currency = try Currency(code: order.currency)
            let aggregation = process.aggregation ?? .sum
            let quantity = period.quantity(aggregation)
            // Recorded before the item was terminated, for a period it no longer reaches: not billed.
            if let end = item.endDate, period.periodStart > end {
                settled[UsagePeriodKey(orderItemID: item.id, periodStart: period.periodStart)] = quantity
                continue
            }
            func charge(_ quantity: Decimal6) throws -> Money {
                try Pricing.charge(
                    quantity: quantity, model: item.terms.model, includedQuantity: item.terms.includedQuantity,
                    currency: currency)
            }
            let total = try charge(quantity)
            let before = try period.ratedQuantity.map(charge)
            let amount = Money(minorUnits: total.minorUnits - (before?.minorUnits ?? 0), currency: currency)
            guard period.ratings == 0 || amount.minorUnits != 0 else {
                settled[UsagePeriodKey(orderItemID: item.id, periodStart: period.periodStart)] = quantity
                continue
            }
            let added =
                aggregation == .max ? quantity : try quantity - (period.ratedQuantity ?? .zero)
            charges.append(
                NewUsageCharge(
                    item: item, accountID: order.accountID, currency: currency.code,
                    key: period.ratings == 0
                        ? "usage:\(period.periodStart)" : "usage:\(period.periodStart):\(period.ratings + 1)",
                    periodStart: period.periodStart, periodEnd: period.periodEnd, billingDate: billingDate,
                    quantity: added, amount: amount, ratedQuantity: quantity))
        }
        try await usage.rate(charges, settled: settled)
        return periods.count
    }
}
