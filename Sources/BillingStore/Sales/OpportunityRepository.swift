import BillingCore
import Postgres

/// A tenant's opportunities, their line items and the items' schedules.
public struct OpportunityRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// Stores a new opportunity; with `renewalOf`, nil when that order already has its renewal.
    public func insert(
        _ fields: OpportunityFields, accountID: Int64, currency: String, stage: SalesSettingsRecord.Stage,
        renewalOf orderID: Int64? = nil
    ) async throws -> OpportunityRecord? {
        try await connection.query(
            """
            INSERT INTO opportunities (tenant_id, external_id, account_id, name, currency, price_book_id, stage, outcome,
                close_date, start_date, end_date, order_type, renewal_of_order_id, closed_at)
            VALUES (\(transaction.tenantID.rawValue), \(fields.externalID), \(accountID), \(fields.name), \(currency),
                    \(fields.priceBookID), \(stage.name), \(stage.outcome), \(fields.closeDate)::date,
                    \(fields.startDate)::date, \(fields.endDate)::date, \(fields.orderType), \(orderID),
                    CASE WHEN \(stage.outcome) = 'open' THEN NULL ELSE now() END)
            ON CONFLICT (tenant_id, renewal_of_order_id) DO NOTHING
            RETURNING \(unescaped: OpportunityRecord.columns)
            """
        ).first.map(OpportunityRecord.init(row:))
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> OpportunityRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: OpportunityRecord.columns) FROM opportunities WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        ).first.map(OpportunityRecord.init(row:))
    }

    public func find(externalID: String, forUpdate: Bool = false) async throws -> OpportunityRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: OpportunityRecord.columns) FROM opportunities WHERE external_id = \(externalID)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        ).first.map(OpportunityRecord.init(row:))
    }

    /// Writes the fields and bumps the version if it is still `version`; nil otherwise.
    public func update(id: Int64, fields: OpportunityFields, version: Int) async throws -> OpportunityRecord? {
        try await connection.query(
            """
            UPDATE opportunities SET external_id = \(fields.externalID), name = \(fields.name),
                price_book_id = \(fields.priceBookID), close_date = \(fields.closeDate)::date,
                start_date = \(fields.startDate)::date, end_date = \(fields.endDate)::date,
                order_type = \(fields.orderType), version = version + 1, updated_at = now()
            WHERE id = \(id) AND version = \(version)
            RETURNING \(unescaped: OpportunityRecord.columns)
            """
        ).first.map(OpportunityRecord.init(row:))
    }

    /// Moves the opportunity to `stage`: closed (won or lost) from now, open again otherwise.
    public func setStage(id: Int64, to stage: SalesSettingsRecord.Stage) async throws -> OpportunityRecord {
        try await OpportunityRecord(
            row: connection.query(
                """
                UPDATE opportunities SET stage = \(stage.name), outcome = \(stage.outcome),
                    closed_at = CASE WHEN \(stage.outcome) = 'open' THEN NULL ELSE coalesce(closed_at, now()) END,
                    version = version + 1, updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: OpportunityRecord.columns)
                """
            )[0])
    }

    /// Links the order the opportunity became.
    public func link(id: Int64, order orderID: Int64) async throws -> OpportunityRecord {
        try await OpportunityRecord(
            row: connection.query(
                """
                UPDATE opportunities SET order_id = \(orderID), version = version + 1, updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: OpportunityRecord.columns)
                """
            )[0])
    }

    /// A new version, for a change of its line items.
    public func touch(id: Int64) async throws -> OpportunityRecord {
        try await OpportunityRecord(
            row: connection.query(
                """
                UPDATE opportunities SET version = version + 1, updated_at = now() WHERE id = \(id)
                RETURNING \(unescaped: OpportunityRecord.columns)
                """
            )[0])
    }

    public func list(accountID: Int64?, stage: String?, after: Int64?, limit: Int) async throws -> [OpportunityRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: OpportunityRecord.columns) FROM opportunities
            WHERE id > \(after ?? 0) AND (\(accountID)::bigint IS NULL OR account_id = \(accountID))
              AND (\(stage)::text IS NULL OR stage = \(stage))
            ORDER BY id LIMIT \(limit)
            """
        ).map(OpportunityRecord.init(row:))
    }

    /// Replaces the opportunity's line items (and so their schedules) with these, in this order.
    public func replaceItems(
        of opportunityID: Int64, with lines: [PricedSaleLine]
    ) async throws
        -> [OpportunityItemRecord]
    {
        try await connection.execute("DELETE FROM opportunity_items WHERE opportunity_id = \(opportunityID)")
        guard !lines.isEmpty else { return [] }
        let items = lines.map(\.line)
        return try await connection.query(
            """
            INSERT INTO opportunity_items (tenant_id, opportunity_id, position, product_id, service_code,
                billing_process_id, quantity, pricing_model, unit_price, package_size, included_quantity, tiers,
                price_source, price_id, discount_percent, amount, start_date, end_date)
            SELECT \(transaction.tenantID.rawValue), \(opportunityID), i.position, i.product, i.service, i.process,
                   i.quantity, i.model, i.unit_price, i.package_size, i.included, i.tiers::jsonb, i.source, i.price,
                   i.discount, i.amount, i.start_date, i.end_date
            FROM unnest(\(items.map(\.productID))::bigint[], \(items.map(\.serviceCode))::text[],
                        \(items.map(\.billingProcessID))::bigint[], \(items.map(\.quantity))::numeric[],
                        \(items.map(\.terms.model.name))::text[], \(items.map(\.terms.model.unitPrice))::numeric[],
                        \(items.map(\.terms.model.packageSize))::numeric[],
                        \(items.map(\.terms.includedQuantity))::numeric[],
                        \(try items.map { try $0.terms.tiersJSON })::text[], \(items.map(\.priceSource))::text[],
                        \(items.map(\.priceID))::bigint[], \(items.map(\.discountPercent))::numeric[],
                        \(lines.map(\.amount))::numeric[], \(items.map(\.startDate))::date[],
                        \(items.map(\.endDate))::date[])
                 WITH ORDINALITY AS i(product, service, process, quantity, model, unit_price, package_size, included,
                                      tiers, source, price, discount, amount, start_date, end_date, position)
            ORDER BY i.position
            RETURNING \(unescaped: OpportunityItemRecord.columns)
            """
        ).map(OpportunityItemRecord.init(row:)).sorted { $0.id < $1.id }
    }

    /// The line items of these opportunities, each opportunity's in their order.
    public func items(of opportunityIDs: [Int64]) async throws -> [Int64: [OpportunityItemRecord]] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: OpportunityItemRecord.columns) FROM opportunity_items
            WHERE opportunity_id = ANY(\(opportunityIDs)::bigint[]) ORDER BY opportunity_id, position
            """
        )
        return Dictionary(grouping: try rows.map(OpportunityItemRecord.init(row:)), by: \.opportunityID)
    }

    /// The line item with this id.
    public func item(id: Int64) async throws -> OpportunityItemRecord? {
        try await connection.query(
            "SELECT \(unescaped: OpportunityItemRecord.columns) FROM opportunity_items WHERE id = \(id)"
        ).first.map(OpportunityItemRecord.init(row:))
    }

    /// Gives the item a schedule (or none), the quantity and amount it sums to, and its installments.
    public func setSchedule(
        itemID: Int64, type: String?, schedule: String?, quantity: Decimal6, amount: String,
        installments: [ScheduleInstallmentRecord]
    ) async throws {
        try await connection.execute("DELETE FROM opportunity_schedule_installments WHERE item_id = \(itemID)")
        try await connection.execute(
            """
            UPDATE opportunity_items SET schedule_type = \(type), schedule = \(schedule)::jsonb,
                quantity = \(quantity)::numeric, amount = \(amount)::numeric, updated_at = now()
            WHERE id = \(itemID)
            """
        )
        guard !installments.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO opportunity_schedule_installments (tenant_id, item_id, position, date, quantity, revenue)
            SELECT \(transaction.tenantID.rawValue), \(itemID), i.position, i.date, i.quantity, i.revenue
            FROM unnest(\(installments.map(\.position))::smallint[], \(installments.map(\.date))::date[],
                        \(installments.map(\.quantity))::numeric[], \(installments.map(\.revenue))::numeric[])
                 AS i(position, date, quantity, revenue)
            """
        )
    }

    /// The installments of these items, by item, in order.
    public func installments(ofItems itemIDs: [Int64]) async throws -> [Int64: [ScheduleInstallmentRecord]] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: ScheduleInstallmentRecord.columns) FROM opportunity_schedule_installments
            WHERE item_id = ANY(\(itemIDs)::bigint[]) ORDER BY item_id, position
            """
        )
        return Dictionary(grouping: try rows.map(ScheduleInstallmentRecord.init(row:)), by: \.itemID)
    }

    /// Active orders ending from `asOf` through `asOf` + `leadDays` with a recurring item still
    /// running at their end and no renewal yet, oldest end first, at most `limit`.
    public func ordersToRenew(asOf: CalendarDate, leadDays: Int, limit: Int) async throws -> [Int64] {
        try await connection.query(
            """
            SELECT o.id FROM orders o
            WHERE o.status = 'active' AND o.end_date IS NOT NULL
              AND o.end_date BETWEEN \(asOf)::date AND \(asOf)::date + \(leadDays)::integer
              AND NOT EXISTS (SELECT 1 FROM opportunities r WHERE r.renewal_of_order_id = o.id)
              AND EXISTS (
                  SELECT 1 FROM order_items i JOIN billing_processes p ON p.id = i.billing_process_id
                  WHERE i.order_id = o.id AND i.status = 'active' AND p.kind = 'recurring'
                    AND (i.end_date IS NULL OR i.end_date >= o.end_date))
            ORDER BY o.end_date, o.id LIMIT \(limit)
            """
        ).map { try $0.decode("id", as: Int64.self) }
    }
}
