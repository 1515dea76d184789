import BillingCore
import Postgres

/// A tenant's billing transactions: written when items activate, changed only while pending.
public struct BillingTransactionRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// Writes an item's planned transactions in one statement; one whose key the item already has
    /// is skipped, so writing a plan again adds nothing. Returns how many were added.
    @discardableResult
    public func add(_ planned: [PlannedTransaction], item: OrderItemRecord, accountID: Int64) async throws -> Int {
        try await add([ItemPlan(item: item, accountID: accountID, transactions: planned)])
    }

    /// Writes the planned transactions of many items, item by item in the order given, in one
    /// statement per `rowsPerStatement` rows; as for one item, a key the item already has is
    /// skipped. Returns how many were added.
    ///
    /// `itemsAreNew` says the items have no transaction yet (drafts being activated, locked with
    /// their order): the insert then skips the per-row conflict handling, and a key written twice
    /// fails the statement (unique violation) instead of being skipped.
    @discardableResult
    public func add(_ plans: [ItemPlan], itemsAreNew: Bool = false) async throws -> Int {
        let rows = plans.flatMap { plan in plan.transactions.map { (plan, $0) } }
        var added = 0
        for start in stride(from: 0, to: rows.count, by: Self.rowsPerStatement) {
            added += try await insert(
                rows[start..<min(start + Self.rowsPerStatement, rows.count)], skippingExisting: !itemsAreNew)
        }
        return added
    }

    /// Keeps each statement's parameters to a few megabytes.
    static let rowsPerStatement = 20_000

    private func insert(
        _ rows: ArraySlice<(ItemPlan, PlannedTransaction)>, skippingExisting: Bool
    ) async throws -> Int {
        try await connection.execute(
            """
            INSERT INTO billing_transactions (tenant_id, order_id, order_item_id, account_id, key, kind, billing_date,
                milestone, period_start, period_end, amount, currency)
            SELECT \(transaction.tenantID.rawValue), t.order_id, t.item_id, t.account_id, t.key, t.kind,
                   t.billing_date, t.milestone, t.period_start, t.period_end, t.amount, t.currency
            FROM unnest(\(rows.map { $0.0.item.orderID })::bigint[], \(rows.map { $0.0.item.id })::bigint[],
                        \(rows.map { $0.0.accountID })::bigint[], \(rows.map { $0.1.key })::text[],
                        \(rows.map { $0.1.kind })::text[], \(rows.map { $0.1.billingDate })::date[],
                        \(rows.map { $0.1.milestone })::text[], \(rows.map { $0.1.periodStart })::date[],
                        \(rows.map { $0.1.periodEnd })::date[], \(rows.map { $0.1.amount.description })::numeric[],
                        \(rows.map { $0.1.amount.currency.code })::text[])
                 WITH ORDINALITY AS t(order_id, item_id, account_id, key, kind, billing_date, milestone, period_start,
                                      period_end, amount, currency, position)
            ORDER BY t.position
            \(unescaped: skippingExisting ? "ON CONFLICT (tenant_id, order_item_id, key) DO NOTHING" : "")
            """
        )
    }

    /// The item's transactions, oldest first.
    public func of(itemID: Int64) async throws -> [BillingTransactionRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: BillingTransactionRecord.columns) FROM billing_transactions
            WHERE order_item_id = \(itemID) ORDER BY id FOR NO KEY UPDATE
            """
        ).map(BillingTransactionRecord.init(row:))
    }

    public func cancel(ids: [Int64]) async throws {
        try await connection.execute(
            """
            UPDATE billing_transactions SET status = 'cancelled', updated_at = now()
            WHERE id = ANY(\(ids)::bigint[]) AND status = 'pending'
            """
        )
    }

    /// Rewrites a pending transaction (a period cut short by a termination).
    public func replace(id: Int64, with planned: PlannedTransaction) async throws {
        try await connection.execute(
            """
            UPDATE billing_transactions SET billing_date = \(planned.billingDate)::date,
                period_start = \(planned.periodStart)::date, period_end = \(planned.periodEnd)::date,
                amount = \(planned.amount.description)::numeric, updated_at = now()
            WHERE id = \(id) AND status = 'pending'
            """
        )
    }

    /// Dates the item's pending installments waiting for `milestone`; returns how many.
    public func reach(milestone: String, itemID: Int64, on day: CalendarDate) async throws -> Int {
        try await connection.execute(
            """
            UPDATE billing_transactions SET billing_date = \(day)::date, updated_at = now()
            WHERE order_item_id = \(itemID) AND milestone = \(milestone) AND billing_date IS NULL AND status = 'pending'
            """
        )
    }

    /// The earliest billing date of each order's pending transactions.
    ///
    /// One lookup per order (`LATERAL`), by order and by the order's account. With statistics
    /// gone stale (a tenant's first activations fill the table faster than it is analyzed), the
    /// planner believed the tenant had no transactions and read an index by tenant alone,
    /// filtering every row of the tenant for each order: seconds per call (docs/performance.md).
    /// Naming the account as well makes every index it can choose selective: the order index by
    /// order, the account index by account. The status is filtered in the aggregate, so the
    /// partial index of all the tenant's pending transactions never applies.
    public func nextInvoiceDates(of orders: [OrderRecord]) async throws -> [Int64: CalendarDate] {
        let rows = try await connection.query(
            """
            SELECT o.id AS order_id, n.next::text AS next
            FROM unnest(\(orders.map(\.id))::bigint[], \(orders.map(\.accountID))::bigint[]) AS o(id, account)
            CROSS JOIN LATERAL (
                SELECT min(billing_date) FILTER (WHERE status = 'pending') AS next
                FROM billing_transactions WHERE order_id = o.id AND account_id = o.account
            ) AS n
            """
        )
        var dates: [Int64: CalendarDate] = [:]
        for row in rows {
            if let next = try row.decode("next", as: CalendarDate?.self) { dates[try row.decode("order_id")] = next }
        }
        return dates
    }

    /// Filtered, in creation order.
    public func list(
        accountID: Int64?, orderID: Int64?, from: CalendarDate?, to: CalendarDate?, status: String?, after: Int64?,
        limit: Int
    ) async throws -> [BillingTransactionRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: BillingTransactionRecord.columns) FROM billing_transactions
            WHERE id > \(after ?? 0)
              AND (\(accountID)::bigint IS NULL OR account_id = \(accountID))
              AND (\(orderID)::bigint IS NULL OR order_id = \(orderID))
              AND (\(from)::date IS NULL OR billing_date >= \(from)::date)
              AND (\(to)::date IS NULL OR billing_date <= \(to)::date)
              AND (\(status)::text IS NULL OR status = \(status))
            ORDER BY id LIMIT \(limit)
            """
        ).map(BillingTransactionRecord.init(row:))
    }
}
