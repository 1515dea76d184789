import Postgres

/// What no crash, outage or race may ever break (issue 15), checked as the owner over every row of
/// one tenant: nothing billed twice, every document whole, numbers gapless, money accounted for.
public enum BillingInvariants {
    /// Each rule as a query counting the rows that break it.
    static func rules(tenant: Int64) -> [(rule: String, query: PostgresQuery)] {
        [
            (
                "a billing transaction is on two live documents",
                """
                SELECT count(*)::bigint AS n FROM (
                    SELECT l.billing_transaction_id FROM invoice_lines l
                    JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id
                    WHERE l.tenant_id = \(tenant) AND l.billing_transaction_id IS NOT NULL
                      AND i.status <> 'void' AND i.type <> 'credit_note'
                    GROUP BY 1 HAVING count(*) > 1) twice
                """
            ),
            (
                "a billing transaction's status disagrees with the live documents it is on",
                """
                SELECT count(*)::bigint AS n FROM billing_transactions b
                WHERE b.tenant_id = \(tenant) AND (b.status = 'invoiced') IS DISTINCT FROM EXISTS (
                    SELECT 1 FROM invoice_lines l JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id
                    WHERE l.tenant_id = b.tenant_id AND l.billing_transaction_id = b.id
                      AND i.status <> 'void' AND i.type <> 'credit_note')
                """
            ),
            (
                "a document's total is not its lines plus its tax",
                """
                SELECT count(*)::bigint AS n FROM invoices i
                WHERE i.tenant_id = \(tenant)
                  AND (i.total <> i.subtotal + i.tax_total
                       OR i.subtotal <> coalesce((SELECT sum(l.amount) FROM invoice_lines l
                                                  WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id), 0)
                       OR i.tax_total <> coalesce((SELECT sum((t ->> 'amount')::numeric)
                                                   FROM jsonb_array_elements(i.tax_breakdown) t), 0))
                """
            ),
            (
                "a number series has a duplicate, a gap, or a last number it did not use",
                """
                WITH numbered AS (
                    SELECT regexp_replace(number, '-[0-9]+$', '') AS series,
                           substring(number FROM '[0-9]+$')::bigint AS n
                    FROM invoices WHERE tenant_id = \(tenant) AND number IS NOT NULL),
                series AS (
                    SELECT series, count(*) AS used, count(DISTINCT n) AS distinct_numbers, max(n) AS last
                    FROM numbered GROUP BY series)
                SELECT count(*)::bigint AS n
                FROM series FULL JOIN (SELECT * FROM document_sequences WHERE tenant_id = \(tenant)) s
                     ON s.series = series.series
                WHERE series.used IS DISTINCT FROM series.distinct_numbers
                   OR series.used IS DISTINCT FROM series.last
                   OR s.last_number IS DISTINCT FROM series.last
                """
            ),
            (
                "a payment's allocated or refunded amount is not its rows, or exceeds the payment",
                """
                SELECT count(*)::bigint AS n FROM payments p
                WHERE p.tenant_id = \(tenant)
                  AND (p.allocated <> coalesce((SELECT sum(a.amount) FROM payment_allocations a
                                                WHERE a.tenant_id = p.tenant_id AND a.payment_id = p.id), 0)
                       OR p.refunded <> coalesce((SELECT sum(r.amount) FROM payment_refunds r
                                                  WHERE r.tenant_id = p.tenant_id AND r.payment_id = p.id), 0)
                       OR p.allocated + p.refunded > p.amount)
                """
            ),
            (
                "a document's allocated amount is not its allocations (paid to it, or spent of a credit note's)",
                """
                SELECT count(*)::bigint AS n FROM invoices i
                WHERE i.tenant_id = \(tenant)
                  AND (i.amount_allocated <> coalesce(
                           (SELECT sum(a.amount) FROM payment_allocations a
                            WHERE a.tenant_id = i.tenant_id
                              AND CASE WHEN i.type = 'credit_note' THEN a.credit_note_id ELSE a.invoice_id END = i.id),
                           0)
                       OR (i.type <> 'credit_note' AND i.total >= 0 AND i.amount_allocated > i.total)
                       OR (i.type = 'credit_note' AND i.amount_allocated > -i.total))
                """
            ),
        ]
    }

    /// Each broken rule with how many rows break it; empty when every rule holds.
    public static func violations(tenant: Int64, on pool: PostgresPool) async throws -> [String] {
        var broken: [String] = []
        for (rule, query) in rules(tenant: tenant) {
            let rows: Int = try await pool.withConnection { try await $0.query(query)[0].decode("n") }
            if rows > 0 { broken.append("\(rule) (\(rows) rows)") }
        }
        return broken
    }
}
