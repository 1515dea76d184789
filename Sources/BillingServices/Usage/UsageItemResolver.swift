import BillingCore
import BillingProtocol
import BillingStore

/// Finds the usage item an event is for, and the billing period of the item its day falls in:
/// the item named, or the account's usage item of the metric's service that runs on that day
/// (the oldest, should several).
struct UsageItemResolver {
    private var items: [Int64: OrderItemRecord] = [:]
    private var accountItems: [Int64: [OrderItemRecord]] = [:]
    private var processes: [Int64: BillingProcessRecord] = [:]

    init(events: [UsageService.CheckedEvent], in transaction: TenantTransaction) async throws {
        let named = events.compactMap { $0.input.orderItemId.flatMap { Int64($0) } }
        let accounts = events.compactMap { $0.input.accountId.flatMap { Int64($0) } }
        let candidates = try await UsageRepository(transaction).candidateItems(
            ids: named, accountIDs: Array(Set(accounts)), metrics: Array(Set(events.map(\.input.metric))))
        processes = try await BillingProcessRepository(transaction).find(ids: candidates.map(\.billingProcessID))
        let orders = try await OrderRepository(transaction).find(ids: Array(Set(candidates.map(\.orderID))))
        let accountOf = Dictionary(uniqueKeysWithValues: orders.map { ($0.id, $0.accountID) })
        for item in candidates {
            items[item.id] = item
            if let account = accountOf[item.orderID], processes[item.billingProcessID]?.kind == "usage" {
                accountItems[account, default: []].append(item)
            }
        }
    }

    func resolve(_ event: UsageService.CheckedEvent, on day: CalendarDate) throws -> (OrderItemRecord, BillingPeriod) {
        let field = "events[\(event.index)]"
        let item: OrderItemRecord
        if let named = event.input.orderItemId {
            guard let id = Int64(named), let found = items[id] else {
                throw RPCError(.notFound, "no order item \(named) (\(field).order_item_id)")
            }
            guard processes[found.billingProcessID]?.kind == "usage" else {
                throw ValidationFailure(
                    reason: "not_usage_item", field: "\(field).order_item_id",
                    message: "order item \(found.id) is not billed by a usage process")
            }
            guard found.serviceCode == event.input.metric else {
                throw ValidationFailure(
                    reason: "metric_mismatch", field: "\(field).metric",
                    message: "order item \(found.id) measures \(found.serviceCode), not \(event.input.metric)")
            }
            item = found
        } else {
            let ofMetric = (event.input.accountId.flatMap { Int64($0) }.flatMap { accountItems[$0] } ?? []).filter {
                $0.serviceCode == event.input.metric && $0.status != "draft"
            }
            guard !ofMetric.isEmpty else {
                throw ValidationFailure(
                    reason: "no_usage_item", field: field,
                    message: "account \(event.input.accountId ?? "") has no active usage item of \(event.input.metric)")
            }
            item = ofMetric.first { $0.startDate <= day && ($0.endDate.map { day <= $0 } ?? true) } ?? ofMetric[0]
        }
        guard item.status != "draft" else {
            throw ValidationFailure(
                reason: "item_not_active", field: field, message: "order item \(item.id) is not activated yet")
        }
        let schedule = RecurringSchedule(
            start: item.startDate, end: item.endDate, billingDay: item.billingDay,
            frequency: processes[item.billingProcessID]?.frequency ?? .monthly)
        guard let period = schedule.period(containing: day) else {
            throw ValidationFailure(
                reason: "outside_service_period", field: "\(field).at",
                message: "order item \(item.id) runs from \(item.startDate)"
                    + (item.endDate.map { " to \($0)" } ?? "") + "; the event is on \(day)")
        }
        return (item, period)
    }
}
