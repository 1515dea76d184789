import BillingCore
import Postgres

/// A tenant's quotes and their lines.
public struct QuoteRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    public func insert(_ quote: NewQuote) async throws -> QuoteRecord {
        let record = try QuoteRecord(
            row: try await connection.query(
                """
                INSERT INTO quotes (tenant_id, opportunity_id, account_id, currency, expires_on, tax_date, subtotal,
                    tax_total, total, tax_breakdown, notes)
                VALUES (\(transaction.tenantID.rawValue), \(quote.opportunityID), \(quote.accountID), \(quote.currency),
                        \(quote.expiresOn)::date, \(quote.taxDate)::date, \(quote.subtotal)::numeric,
                        \(quote.taxTotal)::numeric, \(quote.total)::numeric, \(quote.taxBreakdown)::jsonb,
                        \(quote.notes)::jsonb)
                RETURNING \(unescaped: QuoteRecord.columns)
                """
            )[0])
        guard !quote.lines.isEmpty else { return record }
        let lines = quote.lines.map(\.line)
        try await connection.execute(
            """
            INSERT INTO quote_lines (tenant_id, quote_id, position, product_id, service_code, description,
                billing_process_id, quantity, pricing_model, unit_price, package_size, included_quantity, tiers,
                price_source, price_id, discount_percent, amount, tax_category, start_date, end_date)
            SELECT \(transaction.tenantID.rawValue), \(record.id), i.position, i.product, i.service, i.description,
                   i.process, i.quantity, i.model, i.unit_price, i.package_size, i.included, i.tiers::jsonb, i.source,
                   i.price, i.discount, i.amount, i.category, i.start_date, i.end_date
            FROM unnest(\(lines.map(\.productID))::bigint[], \(lines.map(\.serviceCode))::text[],
                        \(quote.lines.map(\.description))::text[], \(lines.map(\.billingProcessID))::bigint[],
                        \(lines.map(\.quantity))::numeric[], \(lines.map(\.terms.model.name))::text[],
                        \(lines.map(\.terms.model.unitPrice))::numeric[],
                        \(lines.map(\.terms.model.packageSize))::numeric[],
                        \(lines.map(\.terms.includedQuantity))::numeric[],
                        \(try lines.map { try $0.terms.tiersJSON })::text[], \(lines.map(\.priceSource))::text[],
                        \(lines.map(\.priceID))::bigint[], \(lines.map(\.discountPercent))::numeric[],
                        \(quote.lines.map(\.amount))::numeric[], \(quote.lines.map(\.taxCategory))::text[],
                        \(lines.map(\.startDate))::date[], \(lines.map(\.endDate))::date[])
                 WITH ORDINALITY AS i(product, service, description, process, quantity, model, unit_price,
                                      package_size, included, tiers, source, price, discount, amount, category,
                                      start_date, end_date, position)
            """
        )
        return record
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> QuoteRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: QuoteRecord.columns) FROM quotes WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        ).first.map(QuoteRecord.init(row:))
    }

    /// The lines of these quotes, each quote's in order.
    public func lines(of quoteIDs: [Int64]) async throws -> [Int64: [QuoteLineRecord]] {
        var lines: [Int64: [QuoteLineRecord]] = [:]
        for row in try await connection.query(
            """
            SELECT \(unescaped: QuoteLineRecord.columns) FROM quote_lines
            WHERE quote_id = ANY(\(quoteIDs)::bigint[]) ORDER BY quote_id, position
            """
        ) {
            lines[try row.decode("quote_id", as: Int64.self), default: []].append(try QuoteLineRecord(row: row))
        }
        return lines
    }

    public func list(opportunityID: Int64?, status: String?, after: Int64?, limit: Int) async throws -> [QuoteRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: QuoteRecord.columns) FROM quotes
            WHERE id > \(after ?? 0) AND (\(opportunityID)::bigint IS NULL OR opportunity_id = \(opportunityID))
              AND (\(status)::text IS NULL OR status = \(status))
            ORDER BY id LIMIT \(limit)
            """
        ).map(QuoteRecord.init(row:))
    }

    /// Moves the quote to `status` (sent, accepted or rejected), with the order accepting made.
    public func decide(
        id: Int64, status: String, orderID: Int64? = nil, rejectionReason: String? = nil
    ) async throws -> QuoteRecord {
        try await QuoteRecord(
            row: connection.query(
                """
                UPDATE quotes SET status = \(status), order_id = coalesce(\(orderID), order_id),
                    rejection_reason = coalesce(\(rejectionReason), rejection_reason),
                    sent_at = CASE WHEN \(status) = 'sent' THEN now() ELSE sent_at END,
                    decided_at = CASE WHEN \(status) IN ('accepted', 'rejected') THEN now() ELSE decided_at END,
                    version = version + 1, updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: QuoteRecord.columns)
                """
            )[0])
    }
}
