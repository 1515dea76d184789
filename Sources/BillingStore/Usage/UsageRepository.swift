import BillingCore
import Postgres

/// A tenant's usage events, the running totals of its usage items' periods, and their rating.
public struct UsageRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// The items these events may be for (those named by id, and those of the named accounts'
    /// orders with a service named as a metric) with their order's account and their process,
    /// the tenant's calendar day of each instant, and which of the named accounts are the tenant's:
    /// one round trip.
    public func candidates(
        ids: [Int64], accountIDs: [Int64], metrics: [String], instants: [Timestamp]
    ) async throws -> (items: [UsageItemCandidate], days: [CalendarDate], accounts: Set<Int64>) {
        let results = try await connection.pipeline([
            """
            SELECT c.*, o.account_id AS order_account_id, p.kind AS process_kind, p.frequency AS process_frequency,
                   p.aggregation AS process_aggregation
            FROM (
                SELECT \(unescaped: OrderItemRecord.columns) FROM order_items
                WHERE id = ANY(\(ids)::bigint[])
                   OR (service_code = ANY(\(metrics)::text[])
                       AND order_id IN (SELECT id FROM orders WHERE account_id = ANY(\(accountIDs)::bigint[])))
            ) AS c
            JOIN orders o ON o.id = c.order_id JOIN billing_processes p ON p.id = c.billing_process_id
            ORDER BY c.id
            """,
            """
            SELECT ((timestamptz 'epoch' + x.micros * interval '1 microsecond') AT TIME ZONE t.timezone)::date::text AS day
            FROM unnest(\(instants.map(\.microseconds))::bigint[]) WITH ORDINALITY AS x(micros, position)
            CROSS JOIN tenants t WHERE t.id = \(transaction.tenantID.rawValue)
            ORDER BY x.position
            """,
            "SELECT id FROM accounts WHERE id = ANY(\(accountIDs)::bigint[])",
        ])
        return (
            try results[0].map(UsageItemCandidate.init(row:)),
            try results[1].map { try $0.decode("day", as: CalendarDate.self) },
            Set(try results[2].map { try $0.decode("id", as: Int64.self) })
        )
    }

    /// Items by id (what rating needs of them).
    public func items(ids: [Int64]) async throws -> [OrderItemRecord] {
        try await connection.query(
            "SELECT \(unescaped: OrderItemRecord.columns) FROM order_items WHERE id = ANY(\(ids)::bigint[]) ORDER BY id"
        ).map(OrderItemRecord.init(row:))
    }

    /// The usage items of the account's orders (items of a usage billing process), by id.
    public func usageItems(accountID: Int64) async throws -> [OrderItemRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: OrderItemRecord.columns) FROM order_items
            WHERE order_id IN (SELECT id FROM orders WHERE account_id = \(accountID))
              AND billing_process_id IN (SELECT id FROM billing_processes WHERE kind = 'usage')
            ORDER BY id
            """
        ).map(OrderItemRecord.init(row:))
    }

    /// The (item, period start) pairs among these that a usage transaction was invoiced for.
    public func invoicedPeriods(itemIDs: [Int64], periodStarts: [CalendarDate]) async throws -> [UsagePeriodKey] {
        try await connection.query(
            """
            SELECT DISTINCT t.order_item_id, t.period_start::text AS period_start
            FROM billing_transactions t
            JOIN unnest(\(itemIDs)::bigint[], \(periodStarts)::date[]) AS p(item, start)
              ON t.order_item_id = p.item AND t.period_start = p.start
            WHERE t.kind = 'usage' AND t.status = 'invoiced'
            """
        ).map {
            UsagePeriodKey(orderItemID: try $0.decode("order_item_id"), periodStart: try $0.decode("period_start"))
        }
    }

    /// Stores the events not stored yet (in event id order, so concurrent batches lock alike) and
    /// adds them to their periods' totals, in one statement. Returns, for each event already
    /// stored, whether it was stored with the same content.
    public func record(_ events: [NewUsageEvent]) async throws -> [String: Bool] {
        let inserted = try await connection.query(
            """
            WITH incoming AS (
                SELECT e.event_id, e.item, e.metric, e.quantity,
                       timestamptz 'epoch' + e.micros * interval '1 microsecond' AS at, e.day, e.period_start,
                       e.period_end, e.properties
                FROM unnest(\(events.map(\.eventID))::text[], \(events.map(\.orderItemID))::bigint[],
                            \(events.map(\.metric))::text[], \(events.map(\.quantity))::numeric[],
                            \(events.map(\.occurredAt.microseconds))::bigint[], \(events.map(\.day))::date[],
                            \(events.map(\.periodStart))::date[], \(events.map(\.periodEnd))::date[],
                            \(events.map(\.properties))::jsonb[])
                     AS e(event_id, item, metric, quantity, micros, day, period_start, period_end, properties)
            ), inserted AS (
                INSERT INTO usage_events (tenant_id, event_id, order_item_id, metric, quantity, occurred_at, day,
                                          period_start, properties)
                SELECT \(transaction.tenantID.rawValue), event_id, item, metric, quantity, at, day, period_start,
                       properties
                FROM incoming ORDER BY event_id COLLATE "C"
                ON CONFLICT (tenant_id, event_id) DO NOTHING
                RETURNING event_id
            ), added AS (
                INSERT INTO usage_periods AS u (tenant_id, order_item_id, period_start, period_end, quantity_sum,
                                                event_count, quantity_max)
                SELECT \(transaction.tenantID.rawValue), e.item, e.period_start, min(e.period_end), sum(e.quantity),
                       count(*), max(e.quantity)
                FROM incoming e JOIN inserted i ON i.event_id = e.event_id
                GROUP BY e.item, e.period_start ORDER BY e.item, e.period_start
                ON CONFLICT (tenant_id, order_item_id, period_start) DO UPDATE
                    SET quantity_sum = u.quantity_sum + excluded.quantity_sum,
                        event_count = u.event_count + excluded.event_count,
                        quantity_max = greatest(u.quantity_max, excluded.quantity_max),
                        unrated = true, updated_at = now()
                RETURNING 1
            )
            SELECT event_id FROM inserted
            """
        )
        guard inserted.count < events.count else { return [:] }
        // The others were stored before (the insert skipped them): compare them with what was.
        var new = Set<String>()
        for row in inserted { new.insert(try row.decode("event_id", as: String.self)) }
        let before = events.filter { !new.contains($0.eventID) }
        let rows = try await connection.query(
            """
            SELECT e.event_id,
                   (s.order_item_id = e.item AND s.metric = e.metric AND s.quantity = e.quantity
                    AND s.occurred_at = timestamptz 'epoch' + e.micros * interval '1 microsecond'
                    AND s.properties IS NOT DISTINCT FROM e.properties) AS same
            FROM unnest(\(before.map(\.eventID))::text[], \(before.map(\.orderItemID))::bigint[],
                        \(before.map(\.metric))::text[], \(before.map(\.quantity))::numeric[],
                        \(before.map(\.occurredAt.microseconds))::bigint[], \(before.map(\.properties))::jsonb[])
                 AS e(event_id, item, metric, quantity, micros, properties)
            JOIN usage_events s ON s.event_id = e.event_id
            """
        )
        var stored: [String: Bool] = [:]
        for row in rows { stored[try row.decode("event_id", as: String.self)] = try row.decode("same", as: Bool.self) }
        return stored
    }

    /// Cuts the item's period containing `end` to end there (its usage is then rated and billed
    /// from the day after).
    public func cutPeriods(itemID: Int64, endingOn end: CalendarDate) async throws {
        try await connection.execute(
            """
            UPDATE usage_periods SET period_end = \(end)::date, updated_at = now()
            WHERE order_item_id = \(itemID) AND period_start <= \(end)::date AND period_end > \(end)::date
            """
        )
    }

    /// The periods of these items overlapping [from, to] that have events.
    public func periods(itemIDs: [Int64], from: CalendarDate, to: CalendarDate) async throws -> [UsagePeriodRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: UsagePeriodRecord.columns) FROM usage_periods
            WHERE order_item_id = ANY(\(itemIDs)::bigint[]) AND period_end >= \(from)::date
              AND period_start <= \(to)::date
            ORDER BY order_item_id, period_start
            """
        ).map(UsagePeriodRecord.init(row:))
    }

    /// Up to `limit` periods over before `target` with usage not yet rated, of the orders of
    /// `accountIDs` (all when nil), locked: recording into them waits for the rating.
    public func periodsToRate(
        before target: CalendarDate, accountIDs: [Int64]?, limit: Int
    ) async throws
        -> [UsagePeriodRecord]
    {
        try await connection.query(
            """
            SELECT \(unescaped: UsagePeriodRecord.columns) FROM usage_periods
            WHERE unrated AND period_end < \(target)::date
              AND (\(accountIDs)::bigint[] IS NULL OR order_item_id IN (
                  SELECT i.id FROM order_items i JOIN orders o ON o.id = i.order_id
                  WHERE o.account_id = ANY(\(accountIDs)::bigint[])))
            ORDER BY order_item_id, period_start LIMIT \(limit)
            FOR UPDATE
            """
        ).map(UsagePeriodRecord.init(row:))
    }

    /// Writes the charges and marks their periods rated through the quantities charged; marks the
    /// `settled` periods (whose new usage charges nothing more) rated through their new quantity.
    public func rate(_ charges: [NewUsageCharge], settled: [UsagePeriodKey: Decimal6]) async throws {
        if !charges.isEmpty {
            try await connection.execute(
                """
                INSERT INTO billing_transactions (tenant_id, order_id, order_item_id, account_id, key, kind,
                    billing_date, period_start, period_end, amount, currency, quantity)
                SELECT \(transaction.tenantID.rawValue), c.order_id, c.item, c.account, c.key, 'usage', c.billing_date,
                       c.period_start, c.period_end, c.amount, c.currency, c.quantity
                FROM unnest(\(charges.map(\.item.orderID))::bigint[], \(charges.map(\.item.id))::bigint[],
                            \(charges.map(\.accountID))::bigint[], \(charges.map(\.key))::text[],
                            \(charges.map(\.billingDate))::date[], \(charges.map(\.periodStart))::date[],
                            \(charges.map(\.periodEnd))::date[], \(charges.map(\.amount.description))::numeric[],
                            \(charges.map(\.currency))::text[], \(charges.map(\.quantity))::numeric[])
                     AS c(order_id, item, account, key, billing_date, period_start, period_end, amount, currency,
                          quantity)
                ON CONFLICT (tenant_id, order_item_id, key) DO NOTHING
                """
            )
        }
        let others = Array(settled)
        let items = charges.map(\.item.id) + others.map(\.key.orderItemID)
        let starts = charges.map(\.periodStart) + others.map(\.key.periodStart)
        let rated = charges.map(\.ratedQuantity) + others.map(\.value)
        guard !items.isEmpty else { return }
        try await connection.execute(
            """
            UPDATE usage_periods u SET rated_quantity = r.rated, ratings = u.ratings + 1, unrated = false,
                updated_at = now()
            FROM unnest(\(items)::bigint[], \(starts)::date[], \(rated)::numeric[]) AS r(item, start, rated)
            WHERE u.order_item_id = r.item AND u.period_start = r.start
            """
        )
    }
}

/// A usage item's billing period, named by the item and the period's first day.
public struct UsagePeriodKey: Hashable, Sendable {
    public let orderItemID: Int64
    public let periodStart: CalendarDate

    public init(orderItemID: Int64, periodStart: CalendarDate) {
        self.orderItemID = orderItemID
        self.periodStart = periodStart
    }
}
