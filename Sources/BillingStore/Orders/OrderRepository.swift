import BillingCore
import Postgres

/// A tenant's orders and their items.
public struct OrderRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    public func insert(_ order: NewOrder) async throws -> OrderRecord {
        let rows = try await connection.query(
            """
            INSERT INTO orders (tenant_id, external_id, account_id, type, currency, price_book_id, start_date, end_date,
                billing_day, generate)
            VALUES (\(transaction.tenantID.rawValue), \(order.externalID), \(order.accountID), \(order.type),
                    \(order.currency), \(order.priceBookID), \(order.startDate)::date, \(order.endDate)::date,
                    \(order.billingDay), \(order.generate))
            RETURNING \(unescaped: OrderRecord.columns)
            """
        )
        return try OrderRecord(row: rows[0])
    }

    /// Adds items to an order, in this order, in one statement.
    public func insertItems(_ items: [NewOrderItem], orderID: Int64) async throws -> [OrderItemRecord] {
        guard !items.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            INSERT INTO order_items (tenant_id, order_id, product_id, service_code, quantity, pricing_model, unit_price,
                package_size, included_quantity, tiers, price_source, price_id, billing_process_id, start_date,
                end_date, service_date, billing_day)
            SELECT \(transaction.tenantID.rawValue), \(orderID), i.product, i.service, i.quantity, i.model, i.unit_price,
                   i.package_size, i.included, i.tiers::jsonb, i.source, i.price, i.process, i.start_date, i.end_date,
                   i.service_date, i.billing_day
            FROM unnest(\(items.map(\.productID))::bigint[], \(items.map(\.serviceCode))::text[],
                        \(items.map(\.quantity))::numeric[], \(items.map(\.terms.model.name))::text[],
                        \(items.map(\.terms.model.unitPrice))::numeric[], \(items.map(\.terms.model.packageSize))::numeric[],
                        \(items.map(\.terms.includedQuantity))::numeric[], \(try items.map { try $0.terms.tiersJSON })::text[],
                        \(items.map(\.priceSource))::text[], \(items.map(\.priceID))::bigint[],
                        \(items.map(\.billingProcessID))::bigint[], \(items.map(\.startDate))::date[],
                        \(items.map(\.endDate))::date[], \(items.map(\.serviceDate))::date[],
                        \(items.map(\.billingDay))::smallint[])
                 WITH ORDINALITY AS i(product, service, quantity, model, unit_price, package_size, included, tiers,
                                      source, price, process, start_date, end_date, service_date, billing_day, position)
            ORDER BY i.position
            RETURNING \(unescaped: OrderItemRecord.columns)
            """
        )
        return try rows.map(OrderItemRecord.init(row:)).sorted { $0.id < $1.id }
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> OrderRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: OrderRecord.columns) FROM orders WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        ).first.map(OrderRecord.init(row:))
    }

    /// The orders with these ids, in id order.
    public func find(ids: [Int64]) async throws -> [OrderRecord] {
        guard !ids.isEmpty else { return [] }
        return try await connection.query(
            "SELECT \(unescaped: OrderRecord.columns) FROM orders WHERE id = ANY(\(ids)::bigint[]) ORDER BY id"
        ).map(OrderRecord.init(row:))
    }

    /// The orders with these ids, locked one after the other in id order (so that two callers
    /// locking overlapping sets cannot deadlock), in id order.
    public func lock(ids: [Int64]) async throws -> [OrderRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: OrderRecord.columns) FROM orders WHERE id = ANY(\(ids)::bigint[])
            ORDER BY id FOR NO KEY UPDATE
            """
        ).map(OrderRecord.init(row:))
    }

    public func find(externalID: String) async throws -> OrderRecord? {
        try await connection.query(
            "SELECT \(unescaped: OrderRecord.columns) FROM orders WHERE external_id = \(externalID)"
        ).first.map(OrderRecord.init(row:))
    }

    /// The account's active subscription orders in `currency`, oldest first, locked.
    public func activeSubscriptions(accountID: Int64, currency: String) async throws -> [OrderRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: OrderRecord.columns) FROM orders
            WHERE account_id = \(accountID) AND type = 'subscription' AND status = 'active' AND currency = \(currency)
            ORDER BY id FOR NO KEY UPDATE
            """
        ).map(OrderRecord.init(row:))
    }

    public func items(of orderIDs: [Int64]) async throws -> [Int64: [OrderItemRecord]] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: OrderItemRecord.columns) FROM order_items
            WHERE order_id = ANY(\(orderIDs)::bigint[]) ORDER BY order_id, id
            """
        )
        return Dictionary(grouping: try rows.map(OrderItemRecord.init(row:)), by: \.orderID)
    }

    /// The item with this id, locked unless `forUpdate` is false.
    public func item(id: Int64, forUpdate: Bool = true) async throws -> OrderItemRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: OrderItemRecord.columns) FROM order_items WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        ).first.map(OrderItemRecord.init(row:))
    }

    /// Marks items active from `day`, with transactions for periods starting through `billedThrough`
    /// (open-ended recurring items).
    public func activate(itemIDs: [Int64], on day: CalendarDate, billedThrough: [Int64: CalendarDate]) async throws {
        try await connection.execute(
            """
            UPDATE order_items i SET status = 'active', activated_on = \(day)::date, updated_at = now(),
                billed_through = b.through
            FROM unnest(\(itemIDs)::bigint[], \(itemIDs.map { billedThrough[$0] })::date[]) AS b(item, through)
            WHERE i.id = b.item
            """
        )
    }

    public func setBilledThrough(itemID: Int64, _ day: CalendarDate) async throws {
        try await connection.execute(
            "UPDATE order_items SET billed_through = \(day)::date, updated_at = now() WHERE id = \(itemID)"
        )
    }

    /// Locks these items until the transaction ends (a horizon extension of them waits, or is
    /// waited for).
    public func lockItems(_ ids: [Int64]) async throws {
        try await connection.execute("SELECT id FROM order_items WHERE id = ANY(\(ids)::bigint[]) FOR NO KEY UPDATE")
    }

    public func terminate(itemIDs: [Int64], endingOn end: CalendarDate) async throws {
        try await connection.execute(
            """
            UPDATE order_items SET status = 'terminated', end_date = \(end)::date, updated_at = now()
            WHERE id = ANY(\(itemIDs)::bigint[])
            """
        )
    }

    /// Gives the order a new version.
    public func touch(id: Int64) async throws -> OrderRecord {
        try await touch(ids: [id], activating: false)[0]
    }

    /// Marks the orders active (those not yet) and gives each a new version; in id order.
    public func touch(ids: [Int64], activating: Bool) async throws -> [OrderRecord] {
        try await connection.query(
            """
            UPDATE orders SET version = version + 1, updated_at = now(),
                status = CASE WHEN \(activating) THEN 'active' ELSE status END,
                activated_at = CASE WHEN \(activating) THEN coalesce(activated_at, now()) ELSE activated_at END
            WHERE id = ANY(\(ids)::bigint[])
            RETURNING \(unescaped: OrderRecord.columns)
            """
        ).map(OrderRecord.init(row:)).sorted { $0.id < $1.id }
    }

    /// Whether any order of the account has an active item.
    public func hasActiveItems(accountID: Int64) async throws -> Bool {
        try await !connection.query(
            """
            SELECT 1 FROM order_items i JOIN orders o ON o.id = i.order_id
            WHERE o.account_id = \(accountID) AND i.status = 'active' LIMIT 1
            """
        ).isEmpty
    }

    public func cancel(id: Int64) async throws {
        try await connection.execute("UPDATE orders SET status = 'cancelled', updated_at = now() WHERE id = \(id)")
    }

    public func list(accountID: Int64?, status: String?, after: Int64?, limit: Int) async throws -> [OrderRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: OrderRecord.columns) FROM orders
            WHERE id > \(after ?? 0) AND (\(accountID)::bigint IS NULL OR account_id = \(accountID))
              AND (\(status)::text IS NULL OR status = \(status))
            ORDER BY id LIMIT \(limit)
            """
        ).map(OrderRecord.init(row:))
    }

    /// Active open-ended recurring items whose transactions stop before `horizon`, locked (a
    /// termination waits, then sees the periods added).
    public func itemsToExtend(before horizon: CalendarDate, limit: Int) async throws -> [OrderItemRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: OrderItemRecord.columns) FROM order_items
            WHERE status = 'active' AND end_date IS NULL AND billed_through < \(horizon)::date
            ORDER BY id LIMIT \(limit)
            FOR NO KEY UPDATE
            """
        ).map(OrderItemRecord.init(row:))
    }
}
