import BillingCore
import Postgres

/// A tenant's documents: read, posted with the next number of their series, voided.
public struct InvoiceRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> InvoiceRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: InvoiceRecord.columns) FROM invoices WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        ).first.map(InvoiceRecord.init(row:))
    }

    public func lines(of invoiceIDs: [Int64]) async throws -> [Int64: [InvoiceLineRecord]] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: InvoiceLineRecord.columns) FROM invoice_lines
            WHERE invoice_id = ANY(\(invoiceIDs)::bigint[]) ORDER BY invoice_id, line_number
            """
        )
        return Dictionary(grouping: try rows.map(InvoiceLineRecord.init(row:)), by: \.invoiceID)
    }

    public func list(
        accountID: Int64?, runID: Int64?, status: String?, after: Int64?, limit: Int
    ) async throws -> [InvoiceRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: InvoiceRecord.columns) FROM invoices
            WHERE id > \(after ?? 0) AND (\(accountID)::bigint IS NULL OR account_id = \(accountID))
              AND (\(runID)::bigint IS NULL OR run_id = \(runID)) AND (\(status)::text IS NULL OR status = \(status))
            ORDER BY id LIMIT \(limit)
            """
        ).map(InvoiceRecord.init(row:))
    }

    /// Takes the next number of `series`: the series row stays locked until the transaction ends,
    /// so concurrent postings take consecutive numbers and a rolled-back posting leaves no gap.
    public func nextNumber(in series: String) async throws -> Int64 {
        try await connection.query(
            """
            INSERT INTO document_sequences (tenant_id, series, last_number)
            VALUES (\(transaction.tenantID.rawValue), \(series), 1)
            ON CONFLICT (tenant_id, series) DO UPDATE SET last_number = document_sequences.last_number + 1
            RETURNING last_number
            """
        )[0].decode("last_number")
    }

    public func markPosted(id: Int64, number: String, status: String = "posted") async throws -> InvoiceRecord {
        try await connection.query(
            """
            UPDATE invoices SET status = \(status), number = \(number), posted_at = now(), updated_at = now()
            WHERE id = \(id) AND status = 'draft'
            RETURNING \(unescaped: InvoiceRecord.columns)
            """
        ).map(InvoiceRecord.init(row:))[0]
    }

    /// The documents with these ids, locked in id order (so that two callers cannot deadlock).
    public func lock(ids: [Int64]) async throws -> [InvoiceRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: InvoiceRecord.columns) FROM invoices WHERE id = ANY(\(ids)::bigint[])
            ORDER BY id FOR NO KEY UPDATE
            """
        ).map(InvoiceRecord.init(row:))
    }

    /// Voids the document and returns its transactions to pending, to be billed again.
    public func markVoid(id: Int64) async throws -> InvoiceRecord {
        try await connection.execute(
            """
            UPDATE billing_transactions SET status = 'pending', invoice_id = NULL, updated_at = now()
            WHERE invoice_id = \(id) AND status = 'invoiced'
            """
        )
        return try await connection.query(
            """
            UPDATE invoices SET status = 'void', updated_at = now() WHERE id = \(id)
            RETURNING \(unescaped: InvoiceRecord.columns)
            """
        ).map(InvoiceRecord.init(row:))[0]
    }

    /// A posted credit note for `invoice`: its lines and totals negated, referencing it.
    public func insertCreditNote(
        for invoice: InvoiceRecord, number: String, on day: CalendarDate
    ) async throws
        -> InvoiceRecord
    {
        let credit = try await connection.query(
            """
            INSERT INTO invoices (tenant_id, run_id, type, status, number, account_id, currency, invoice_date, due_date,
                payment_terms_days, bill_group, subtotal, tax_total, total, tax_breakdown, notes, credited_invoice_id,
                posted_at)
            SELECT tenant_id, NULL, 'credit_note', 'posted', \(number), account_id, currency, \(day)::date,
                   \(day)::date, payment_terms_days, bill_group, -subtotal, -tax_total, -total,
                   coalesce((SELECT jsonb_agg(b || jsonb_build_object(
                                'base', (-(b->>'base')::numeric)::text, 'amount', (-(b->>'amount')::numeric)::text))
                             FROM jsonb_array_elements(tax_breakdown) AS b), '[]'),
                   notes, id, now()
            FROM invoices WHERE id = \(invoice.id)
            RETURNING \(unescaped: InvoiceRecord.columns)
            """
        ).map(InvoiceRecord.init(row:))[0]
        try await connection.execute(
            """
            INSERT INTO invoice_lines (tenant_id, invoice_id, line_number, billing_transaction_id, description,
                period_start, period_end, quantity, unit_price, amount, tax_category, tax_rates)
            SELECT tenant_id, \(credit.id), line_number, billing_transaction_id, description, period_start, period_end,
                   quantity, unit_price, -amount, tax_category, tax_rates
            FROM invoice_lines WHERE invoice_id = \(invoice.id)
            """
        )
        return credit
    }
}
