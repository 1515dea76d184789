import BillingCore
import Foundation
import Postgres

/// What an invoice run reads and writes: the due transactions of a batch of hierarchies, and the
/// documents made of them, written in a few multi-row statements whatever their size.
public struct InvoicingRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// The next `limit` hierarchies (by root id, after `afterRoot`) with a pending transaction due
    /// by `target`, of the given accounts when named.
    public func dueRoots(
        after afterRoot: Int64, target: CalendarDate, accountIDs: [Int64]?, partition: RunPartition = .whole,
        limit: Int
    ) async throws
        -> [Int64]
    {
        try await connection.query(
            """
            SELECT DISTINCT a.root_id FROM billing_transactions t JOIN accounts a ON a.id = t.account_id
            WHERE t.status = 'pending' AND t.billing_date <= \(target)::date AND a.root_id > \(afterRoot)
              AND (hashint8(a.root_id) & 2147483647) % \(partition.count) = \(partition.number)
              AND (\(accountIDs)::bigint[] IS NULL OR t.account_id = ANY(\(accountIDs)::bigint[]))
            ORDER BY a.root_id LIMIT \(limit)
            """
        ).map { try $0.decode("root_id", as: Int64.self) }
    }

    /// The pending transactions of these hierarchies due by `target` (read, not locked).
    public func due(roots: [Int64], target: CalendarDate, accountIDs: [Int64]?) async throws -> [DueTransaction] {
        try await connection.query(
            """
            SELECT \(unescaped: DueTransaction.columns)
            FROM billing_transactions t
            JOIN accounts a ON a.id = t.account_id
            JOIN order_items i ON i.id = t.order_item_id
            JOIN orders o ON o.id = t.order_id
            JOIN products p ON p.id = i.product_id
            JOIN product_services s ON s.product_id = i.product_id AND s.code = i.service_code
            WHERE t.status = 'pending' AND t.billing_date <= \(target)::date AND a.root_id = ANY(\(roots)::bigint[])
              AND (\(accountIDs)::bigint[] IS NULL OR t.account_id = ANY(\(accountIDs)::bigint[]))
            ORDER BY t.id
            """
        ).map(DueTransaction.init(row:))
    }

    /// Locks those of these transactions that are still pending and that no other run holds
    /// (skipped, not waited for); returns their ids.
    public func lockPending(_ ids: [Int64]) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return Set(
            try await connection.query(
                """
                SELECT id FROM billing_transactions WHERE id = ANY(\(ids)::bigint[]) AND status = 'pending'
                FOR UPDATE SKIP LOCKED
                """
            ).map { try $0.decode("id", as: Int64.self) })
    }

    /// Writes the documents with their lines as drafts of `runID` and marks their transactions
    /// invoiced; returns the documents' ids in order.
    public func write(_ documents: [DraftDocument], runID: Int64) async throws -> [Int64] {
        guard !documents.isEmpty else { return [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let breakdowns = try documents.map { document in
            String(
                decoding: try encoder.encode(
                    document.taxBreakdown.map {
                        StoredTax(
                            category: $0.category, rate: $0.percent, base: $0.base.description,
                            amount: $0.amount.description)
                    }), as: UTF8.self)
        }
        let notes = try documents.map { String(decoding: try encoder.encode($0.notes), as: UTF8.self) }
        // Ids are drawn first, so each document's lines name it whatever order the insert takes.
        let ids = try await connection.query(
            "SELECT nextval(pg_get_serial_sequence('invoices', 'id')) AS id FROM generate_series(1, \(documents.count))"
        ).map { try $0.decode("id", as: Int64.self) }
        try await connection.execute(
            """
            INSERT INTO invoices (tenant_id, id, run_id, type, account_id, currency, invoice_date, due_date,
                payment_terms_days, bill_group, subtotal, tax_total, total, tax_breakdown, notes)
            OVERRIDING SYSTEM VALUE
            SELECT \(transaction.tenantID.rawValue), d.id, \(runID), d.type, d.account, d.currency, d.invoice_date,
                   d.due_date, d.terms, d.bill_group, d.subtotal, d.tax_total, d.total, d.breakdown::jsonb, d.notes::jsonb
            FROM unnest(\(ids)::bigint[], \(documents.map(\.key.documentType))::text[],
                        \(documents.map(\.key.invoicerAccountID))::bigint[],
                        \(documents.map(\.key.currency))::text[], \(documents.map(\.invoiceDate))::date[],
                        \(documents.map(\.dueDate))::date[], \(documents.map(\.key.paymentTermsDays))::integer[],
                        \(documents.map(\.key.billGroup))::text[], \(documents.map(\.subtotal.description))::numeric[],
                        \(documents.map(\.taxTotal.description))::numeric[], \(documents.map(\.total.description))::numeric[],
                        \(breakdowns)::text[], \(notes)::text[])
                 AS d(id, type, account, currency, invoice_date, due_date, terms, bill_group, subtotal, tax_total, total,
                      breakdown, notes)
            """
        )
        var lines: [(invoice: Int64, number: Int, line: DraftDocument.Line)] = []
        for (invoice, document) in zip(ids, documents) {
            lines += document.lines.enumerated().map { (invoice, $0.offset + 1, $0.element) }
        }
        // Most lines of a run share a handful of rate sets: each is encoded once.
        var encodedRates: [[StoredRate]: String] = [:]
        let rates = try lines.map { entry in
            let stored = entry.line.taxRates.map {
                StoredRate(category: $0.category, rate: $0.percent, priority: $0.priority)
            }
            if let encoded = encodedRates[stored] { return encoded }
            let encoded = String(decoding: try encoder.encode(stored), as: UTF8.self)
            encodedRates[stored] = encoded
            return encoded
        }
        try await connection.execute(
            """
            INSERT INTO invoice_lines (tenant_id, invoice_id, line_number, billing_transaction_id, description,
                period_start, period_end, quantity, unit_price, amount, tax_category, tax_rates)
            SELECT \(transaction.tenantID.rawValue), l.invoice, l.number, l.transaction_id, l.description, l.period_start,
                   l.period_end, l.quantity, l.unit_price, l.amount, l.category, l.rates::jsonb
            FROM unnest(\(lines.map(\.invoice))::bigint[], \(lines.map(\.number))::integer[],
                        \(lines.map(\.line.transactionID))::bigint[], \(lines.map(\.line.description))::text[],
                        \(lines.map(\.line.periodStart))::date[], \(lines.map(\.line.periodEnd))::date[],
                        \(lines.map(\.line.quantity))::numeric[], \(lines.map(\.line.unitPrice))::numeric[],
                        \(lines.map(\.line.amount.description))::numeric[], \(lines.map(\.line.taxCategory))::text[],
                        \(rates)::text[])
                 AS l(invoice, number, transaction_id, description, period_start, period_end, quantity, unit_price,
                      amount, category, rates)
            """
        )
        // The rows are found through the primary key (tenant and ids), so a batch reads its own
        // transactions only: joined on the id alone, the update hashed every pending transaction
        // of the tenant, once per batch.
        let transactionIDs = lines.map(\.line.transactionID)
        let invoiced = try await connection.execute(
            """
            UPDATE billing_transactions t SET status = 'invoiced', invoice_id = l.invoice, updated_at = now()
            FROM unnest(\(transactionIDs)::bigint[], \(lines.map(\.invoice))::bigint[]) AS l(transaction_id, invoice)
            WHERE t.tenant_id = \(transaction.tenantID.rawValue) AND t.id = ANY(\(transactionIDs)::bigint[])
              AND t.id = l.transaction_id AND t.status = 'pending'
            """
        )
        guard invoiced == lines.count else {
            throw PostgresError(
                code: .server,
                message: "\(lines.count - invoiced) transactions were no longer pending; batch not written")
        }
        return ids
    }

    struct StoredTax: Encodable {
        let category: String
        let rate: Decimal6
        let base: String
        let amount: String
    }

    struct StoredRate: Encodable, Hashable {
        let category: String
        let rate: Decimal6
        let priority: Int
    }
}
