import BillingCore
import Postgres

/// What accounts owe: statements of documents, payments and refunds, and open invoices by age.
public struct ReceivablesRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// One entry of a statement: a posted invoice or credit note (its total), a payment (less
    /// owed) or a refund (more owed).
    public struct Entry: Sendable, Equatable {
        public var date: CalendarDate
        public var kind: String
        public var id: Int64
        public var reference: String?
        /// Signed: what the account owes more.
        public var amount: String
    }

    /// The entries that change what the account owes: `before` sums those dated before `from`;
    /// `entries` lists those from `from` through `to`, by date.
    public func statement(
        accountID: Int64, from: CalendarDate, to: CalendarDate
    ) async throws
        -> (before: String, entries: [Entry])
    {
        let entries = """
            SELECT invoice_date AS day, type AS kind, id, number AS reference, total AS amount, 0 AS rank
            FROM invoices
            WHERE account_id = \(accountID) AND type IN ('invoice', 'credit_note') AND number IS NOT NULL
              AND NOT EXISTS (
                  SELECT 1 FROM invoices c WHERE c.id = invoices.credited_invoice_id AND c.type = 'sales_order')
            UNION ALL
            SELECT received_on, 'payment', id, reference, -amount, 1 FROM payments WHERE account_id = \(accountID)
            UNION ALL
            SELECT r.refunded_on, 'refund', r.id, r.reference, r.amount, 2
            FROM payment_refunds r JOIN payments p ON p.id = r.payment_id WHERE p.account_id = \(accountID)
            """
        let before = try await connection.query(
            """
            SELECT coalesce(sum(amount), 0)::text AS total FROM (\(unescaped: entries)) AS e(day, kind, id, reference, amount, rank)
            WHERE day < \(from)::date
            """
        )[0].decode("total", as: String.self)
        let rows = try await connection.query(
            """
            SELECT day::text AS day, kind, id, reference, amount::text AS amount
            FROM (\(unescaped: entries)) AS e(day, kind, id, reference, amount, rank)
            WHERE day BETWEEN \(from)::date AND \(to)::date
            ORDER BY day, rank, id
            """
        )
        return (
            before,
            try rows.map {
                Entry(
                    date: try $0.decode("day"), kind: try $0.decode("kind"), id: try $0.decode("id"),
                    reference: try $0.decode("reference"), amount: try $0.decode("amount"))
            }
        )
    }

    /// What open invoices have left to pay on `asOf`, per account and currency, by days past due
    /// (their due date, else their date): not yet due, 1–30, 31–60, 61–90, over 90.
    public func aging(asOf: CalendarDate, accountID: Int64?) async throws -> [AgingTotals] {
        try await connection.query(
            """
            SELECT account_id, currency,
                   sum(left_to_pay) FILTER (WHERE late <= 0)::text AS current,
                   sum(left_to_pay) FILTER (WHERE late BETWEEN 1 AND 30)::text AS days_1_30,
                   sum(left_to_pay) FILTER (WHERE late BETWEEN 31 AND 60)::text AS days_31_60,
                   sum(left_to_pay) FILTER (WHERE late BETWEEN 61 AND 90)::text AS days_61_90,
                   sum(left_to_pay) FILTER (WHERE late > 90)::text AS over_90,
                   sum(left_to_pay)::text AS total
            FROM (
                SELECT account_id, currency, total - amount_allocated AS left_to_pay,
                       \(asOf)::date - coalesce(due_date, invoice_date) AS late
                FROM invoices
                WHERE type = 'invoice' AND status IN ('posted', 'partially_paid') AND invoice_date <= \(asOf)::date
                  AND (\(accountID)::bigint IS NULL OR account_id = \(accountID))
            ) AS open
            GROUP BY account_id, currency ORDER BY account_id, currency
            """
        ).map(AgingTotals.init(row:))
    }
}

/// One account's open invoices by age, in one currency (texts: the sums, nil for none).
public struct AgingTotals: Sendable, Equatable {
    public var accountID: Int64
    public var currency: String
    public var current: String?
    public var days1To30: String?
    public var days31To60: String?
    public var days61To90: String?
    public var over90: String?
    public var total: String?

    init(row: PostgresRow) throws {
        accountID = try row.decode("account_id")
        currency = try row.decode("currency")
        current = try row.decode("current")
        days1To30 = try row.decode("days_1_30")
        days31To60 = try row.decode("days_31_60")
        days61To90 = try row.decode("days_61_90")
        over90 = try row.decode("over_90")
        total = try row.decode("total")
    }
}
