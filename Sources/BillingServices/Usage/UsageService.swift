import BillingCore
import BillingProtocol
import BillingStore

/// Usage recording and its summary: events partners send in batches, sometimes twice, each
/// resolved to a usage item and the billing period its day falls in; rated by invoice runs
/// (`UsageRating`).
public struct UsageService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    static let maximumEvents = 1_000

    /// Stores a batch of events, all or none: an event sent before with the same content is a
    /// counted duplicate; with other content it rejects the batch.
    public func record(_ params: UsageRecord.Params, tenant: TenantID) async throws -> UsageRecord.Result {
        let (events, repeated) = try Self.checked(params.events)
        return try await store.inTenant(tenant) { transaction in
            let usage = UsageRepository(transaction)
            let (candidates, days, accounts) = try await usage.candidates(
                ids: events.compactMap { $0.input.orderItemId.flatMap { Int64($0) } },
                accountIDs: Array(Set(events.compactMap { $0.input.accountId.flatMap { Int64($0) } })),
                metrics: Array(Set(events.map(\.input.metric))), instants: events.map(\.at))
            var resolver = UsageItemResolver(candidates: candidates, accounts: accounts)
            var stored: [NewUsageEvent] = []
            stored.reserveCapacity(events.count)
            for (event, day) in zip(events, days) {
                let (item, period) = try resolver.resolve(event, on: day)
                stored.append(
                    NewUsageEvent(
                        eventID: event.input.eventId, orderItemID: item.id, metric: event.input.metric,
                        quantity: event.input.quantity, occurredAt: event.at, day: day, periodStart: period.start,
                        periodEnd: period.end, properties: event.properties))
            }
            let existing = try await usage.record(stored)
            if let conflict = events.first(where: { existing[$0.input.eventId] == false }) {
                throw RPCError(
                    .conflict, "event \(conflict.input.eventId) was recorded before with other content",
                    reason: "event_conflict", field: "events[\(conflict.index)].event_id")
            }
            // Only new events can fall in an invoiced period (a duplicate sent again is still one);
            // finding one rolls the whole batch back.
            var newPeriods: [UsagePeriodKey: Int] = [:]
            for (event, row) in zip(events, stored) where existing[event.input.eventId] == nil {
                let key = UsagePeriodKey(orderItemID: row.orderItemID, periodStart: row.periodStart)
                if newPeriods[key] == nil { newPeriods[key] = event.index }
            }
            let keys = Array(newPeriods.keys)
            let invoiced = try await usage.invoicedPeriods(
                itemIDs: keys.map(\.orderItemID), periodStarts: keys.map(\.periodStart))
            if let first = invoiced.compactMap({ newPeriods[$0] }).min() {
                throw ValidationFailure(
                    reason: "period_invoiced", field: "events[\(first)]",
                    message: "event \(params.events[first].eventId) falls in a billing period already invoiced")
            }
            let duplicates = repeated + events.filter { existing[$0.input.eventId] == true }.map(\.input.eventId)
            return .init(
                recorded: events.count - existing.count, duplicates: duplicates.count, duplicateEventIds: duplicates)
        }
    }

    /// The account's usage items with their periods overlapping [from, to] (today by default):
    /// each period's quantity so far and what it rates to at the item's price.
    public func summary(_ params: UsageSummary.Params, tenant: TenantID) async throws -> UsageSummary.Result {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let account = try await AccountService.existing(
                params.accountId, field: "account_id", AccountRepository(transaction))
            let today = try await transaction.today()
            let from = params.from ?? today
            let to = params.to ?? from
            guard to >= from else {
                throw ValidationFailure(
                    reason: "end_before_start", field: "to",
                    message: "the range ends (\(to)) before it starts (\(from))")
            }
            guard from.daysThrough(to) <= 366 else {
                throw ValidationFailure(reason: "range_too_long", field: "to", message: "ask for at most 366 days")
            }
            let usage = UsageRepository(transaction)
            let items = try await usage.usageItems(accountID: account.id).filter { $0.status != "draft" }
            let processes = try await BillingProcessRepository(transaction).find(ids: items.map(\.billingProcessID))
            let orders = Dictionary(
                uniqueKeysWithValues: try await OrderRepository(transaction).find(ids: items.map(\.orderID)).map {
                    ($0.id, $0)
                })
            let recorded = Dictionary(
                grouping: try await usage.periods(itemIDs: items.map(\.id), from: from, to: to), by: \.orderItemID)
            return .init(
                accountId: String(account.id), from: from, to: to,
                items: try items.compactMap { item in
                    guard let process = processes[item.billingProcessID], let order = orders[item.orderID] else {
                        return nil
                    }
                    let currency = try Currency(code: order.currency)
                    let aggregation = process.aggregation ?? .sum
                    let schedule = RecurringSchedule(
                        start: item.startDate, end: item.endDate, billingDay: item.billingDay,
                        frequency: process.frequency ?? .monthly)
                    let byStart = Dictionary(
                        uniqueKeysWithValues: (recorded[item.id] ?? []).map { ($0.periodStart, $0) })
                    let periods = try schedule.periods(startingThrough: to).filter { $0.end >= from }.map { period in
                        let totals = byStart[period.start]
                        let quantity = totals?.quantity(aggregation) ?? .zero
                        let status =
                            period.end >= today ? "open" : (totals.map { $0.unrated } ?? false) ? "unrated" : "rated"
                        return UsagePeriodSummary(
                            periodStart: period.start, periodEnd: period.end, quantity: quantity,
                            events: totals?.eventCount ?? 0,
                            amount: try Pricing.charge(
                                quantity: quantity, model: item.terms.model,
                                includedQuantity: item.terms.includedQuantity, currency: currency
                            ).description, status: status)
                    }
                    return UsageItemSummary(
                        orderItemId: String(item.id), orderId: String(item.orderID), metric: item.serviceCode,
                        aggregation: aggregation.rawValue, currency: currency.code, periods: periods)
                })
        }
    }

    /// An event checked, with its position in the batch.
    struct CheckedEvent {
        let index: Int
        let input: UsageEventInput
        let at: Timestamp
        let properties: String?
    }

    /// Each event checked; an event id repeated in the batch with the same content is kept once
    /// (and counted as a duplicate), with other content it is a conflict.
    static func checked(_ inputs: [UsageEventInput]) throws -> (events: [CheckedEvent], repeated: [String]) {
        guard (1...maximumEvents).contains(inputs.count) else {
            throw ValidationFailure(
                reason: "invalid_event_count", field: "events",
                message: "record 1 to \(maximumEvents) events per call, not \(inputs.count)")
        }
        var events: [CheckedEvent] = []
        events.reserveCapacity(inputs.count)
        var seen: [String: Int] = [:]
        seen.reserveCapacity(inputs.count)
        var repeated: [String] = []
        for (index, input) in inputs.enumerated() {
            let field = "events[\(index)]"
            guard (1...200).contains(input.eventId.unicodeScalars.count) else {
                throw ValidationFailure(
                    reason: "invalid_event_id", field: "\(field).event_id",
                    message: "an event id has 1 to 200 characters")
            }
            guard (input.accountId == nil) != (input.orderItemId == nil) else {
                throw ValidationFailure(
                    reason: "invalid_target", field: field, message: "name either account_id or order_item_id")
            }
            guard !input.metric.isEmpty else {
                throw ValidationFailure(reason: "invalid_metric", field: "\(field).metric", message: "name the metric")
            }
            guard input.quantity >= .zero else {
                throw ValidationFailure(
                    reason: "invalid_quantity", field: "\(field).quantity", message: "a quantity cannot be negative")
            }
            guard let at = Timestamp(input.at) else {
                throw ValidationFailure(
                    reason: "invalid_timestamp", field: "\(field).at",
                    message: "at is an RFC 3339 timestamp such as 2026-12-05T10:15:00Z")
            }
            var properties: String?
            if let value = input.properties {
                guard case .object = value else {
                    throw ValidationFailure(
                        reason: "invalid_properties", field: "\(field).properties", message: "properties is an object")
                }
                let text = String(decoding: try WireCoding.encode(value), as: UTF8.self)
                guard !text.contains("\\u0000") else {
                    throw ValidationFailure(
                        reason: "invalid_properties", field: "\(field).properties",
                        message: "properties cannot hold a NUL character")
                }
                properties = text
            }
            if let earlier = seen[input.eventId] {
                guard inputs[earlier] == input else {
                    throw RPCError(
                        .conflict, "event \(input.eventId) is in the batch twice with other content",
                        reason: "event_conflict", field: "\(field).event_id")
                }
                repeated.append(input.eventId)
                continue
            }
            seen[input.eventId] = index
            events.append(CheckedEvent(index: index, input: input, at: at, properties: properties))
        }
        return (events, repeated)
    }
}
