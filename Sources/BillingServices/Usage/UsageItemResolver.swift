import BillingCore
import BillingProtocol
import BillingStore

/// Finds the usage item an event is for, and the billing period of the item its day falls in:
/// the item named, or the account's usage item of the metric's service that runs on that day
/// (the oldest, should several).
struct UsageItemResolver {
    private var items: [Int64: UsageItemCandidate] = [:]
    private var accountItems: [Int64: [UsageItemCandidate]] = [:]
    /// The accounts named by events that are the tenant's.
    private let accounts: Set<Int64>
    /// The period of each item and day already resolved: many events share both.
    private var periods: [ItemDay: BillingPeriod] = [:]

    private struct ItemDay: Hashable {
        let item: Int64
        let day: CalendarDate
    }

    init(candidates: [UsageItemCandidate], accounts: Set<Int64>) {
        self.accounts = accounts
        for candidate in candidates {
            items[candidate.item.id] = candidate
            if candidate.processKind == "usage" { accountItems[candidate.accountID, default: []].append(candidate) }
        }
    }

    mutating func resolve(
        _ event: UsageService.CheckedEvent, on day: CalendarDate
    ) throws
        -> (OrderItemRecord, BillingPeriod)
    {
        let field = "events[\(event.index)]"
        let candidate: UsageItemCandidate
        if let named = event.input.orderItemId {
            guard let id = Int64(named), let found = items[id] else {
                throw RPCError(.notFound, "no order item \(named) (\(field).order_item_id)")
            }
            guard found.processKind == "usage" else {
                throw ValidationFailure(
                    reason: "not_usage_item", field: "\(field).order_item_id",
                    message: "order item \(found.item.id) is not billed by a usage process")
            }
            guard found.item.serviceCode == event.input.metric else {
                throw ValidationFailure(
                    reason: "metric_mismatch", field: "\(field).metric",
                    message: "order item \(found.item.id) measures \(found.item.serviceCode), not \(event.input.metric)"
                )
            }
            candidate = found
        } else {
            let named = event.input.accountId ?? ""
            guard let accountID = Int64(named), accounts.contains(accountID) else {
                throw RPCError(.notFound, "no account \(named) (\(field).account_id)")
            }
            let ofMetric = (accountItems[accountID] ?? []).filter {
                $0.item.serviceCode == event.input.metric && $0.item.status != "draft"
            }
            guard !ofMetric.isEmpty else {
                throw ValidationFailure(
                    reason: "no_usage_item", field: field,
                    message: "account \(accountID) has no active usage item of \(event.input.metric)")
            }
            candidate =
                ofMetric.first { $0.item.startDate <= day && ($0.item.endDate.map { day <= $0 } ?? true) }
                ?? ofMetric[0]
        }
        let item = candidate.item
        guard item.status != "draft" else {
            throw ValidationFailure(
                reason: "item_not_active", field: field, message: "order item \(item.id) is not activated yet")
        }
        let key = ItemDay(item: item.id, day: day)
        let schedule = RecurringSchedule(
            start: item.startDate, end: item.endDate, billingDay: item.billingDay,
            frequency: candidate.frequency ?? .monthly)
        guard let period = periods[key] ?? schedule.period(containing: day) else {
            throw ValidationFailure(
                reason: "outside_service_period", field: "\(field).at",
                message: "order item \(item.id) runs from \(item.startDate)"
                    + (item.endDate.map { " to \($0)" } ?? "") + "; the event is on \(day)")
        }
        periods[key] = period
        return (item, period)
    }
}
