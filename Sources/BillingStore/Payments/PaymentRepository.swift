import BillingCore
import Postgres

/// A tenant's payments, their allocations and refunds, and the allocated amounts they keep on
/// payments and documents.
public struct PaymentRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    public func insert(_ payment: NewPayment) async throws -> PaymentRecord {
        try PaymentRecord(
            row: try await connection.query(
                """
                INSERT INTO payments (tenant_id, account_id, currency, amount, method, reference, received_on)
                VALUES (\(transaction.tenantID.rawValue), \(payment.accountID), \(payment.amount.currency.code),
                        \(payment.amount.description)::numeric, \(payment.method), \(payment.reference),
                        \(payment.receivedOn)::date)
                RETURNING \(unescaped: PaymentRecord.columns)
                """
            )[0])
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> PaymentRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: PaymentRecord.columns) FROM payments WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        ).first.map(PaymentRecord.init(row:))
    }

    public func list(accountID: Int64?, after: Int64?, limit: Int) async throws -> [PaymentRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: PaymentRecord.columns) FROM payments
            WHERE id > \(after ?? 0) AND (\(accountID)::bigint IS NULL OR account_id = \(accountID))
            ORDER BY id LIMIT \(limit)
            """
        ).map(PaymentRecord.init(row:))
    }

    /// The allocations of these payments, in the order they were made.
    public func allocations(ofPayments ids: [Int64]) async throws -> [Int64: [AllocationRecord]] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AllocationRecord.columns) FROM payment_allocations
            WHERE payment_id = ANY(\(ids)::bigint[]) ORDER BY id
            """
        )
        var byPayment: [Int64: [AllocationRecord]] = [:]
        for row in rows {
            let allocation = try AllocationRecord(row: row)
            if let payment = allocation.paymentID { byPayment[payment, default: []].append(allocation) }
        }
        return byPayment
    }

    public func refunds(ofPayments ids: [Int64]) async throws -> [Int64: [RefundRecord]] {
        Dictionary(
            grouping: try await connection.query(
                """
                SELECT \(unescaped: RefundRecord.columns) FROM payment_refunds
                WHERE payment_id = ANY(\(ids)::bigint[]) ORDER BY id
                """
            ).map(RefundRecord.init(row:)), by: \.paymentID)
    }

    /// Records that the payment (or the credit note) paid these amounts of these invoices, and
    /// adds them to what the source and each invoice have allocated; each invoice's status follows
    /// (partially_paid, or paid once nothing is left).
    public func allocate(
        payment paymentID: Int64?, creditNote creditNoteID: Int64?, amounts: [(invoiceID: Int64, amount: Money)],
        on day: CalendarDate
    ) async throws {
        guard !amounts.isEmpty else { return }
        let invoices = amounts.map(\.invoiceID)
        let values = amounts.map(\.amount.description)
        try await connection.execute(
            """
            INSERT INTO payment_allocations (tenant_id, payment_id, credit_note_id, invoice_id, amount, allocated_on)
            SELECT \(transaction.tenantID.rawValue), \(paymentID)::bigint, \(creditNoteID)::bigint, a.invoice, a.amount,
                   \(day)::date
            FROM unnest(\(invoices)::bigint[], \(values)::numeric[]) AS a(invoice, amount)
            """
        )
        try await changeAllocated(invoices: invoices, by: values)
        let total = try Money.sum(amounts.map(\.amount.minorUnits))
        guard let currency = amounts.first?.amount.currency else { return }
        let sum = Money(minorUnits: total, currency: currency).description
        if let paymentID {
            try await connection.execute(
                """
                UPDATE payments SET allocated = allocated + \(sum)::numeric, version = version + 1, updated_at = now()
                WHERE id = \(paymentID)
                """
            )
        } else if let creditNoteID {
            try await changeAllocated(invoices: [creditNoteID], by: [sum])
        }
    }

    /// Removes what the payment paid of the invoice; returns how much that was.
    public func unallocate(payment paymentID: Int64, invoice invoiceID: Int64) async throws -> String? {
        let removed = try await connection.query(
            """
            WITH removed AS (
                DELETE FROM payment_allocations WHERE payment_id = \(paymentID) AND invoice_id = \(invoiceID)
                RETURNING amount
            )
            SELECT sum(amount)::text AS amount FROM removed
            """
        )[0].decode("amount", as: String?.self)
        guard let removed else { return nil }
        try await changeAllocated(invoices: [invoiceID], by: ["-" + removed])
        try await connection.execute(
            """
            UPDATE payments SET allocated = allocated - \(removed)::numeric, version = version + 1, updated_at = now()
            WHERE id = \(paymentID)
            """
        )
        return removed
    }

    public func refund(
        payment paymentID: Int64, amount: Money, on day: CalendarDate, reference: String?
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO payment_refunds (tenant_id, payment_id, amount, refunded_on, reference)
            VALUES (\(transaction.tenantID.rawValue), \(paymentID), \(amount.description)::numeric, \(day)::date,
                    \(reference))
            """
        )
        try await connection.execute(
            """
            UPDATE payments SET refunded = refunded + \(amount.description)::numeric, version = version + 1,
                updated_at = now()
            WHERE id = \(paymentID)
            """
        )
    }

    /// Adds `deltas` to the documents' allocated amounts; an invoice's status follows its balance.
    private func changeAllocated(invoices: [Int64], by deltas: [String]) async throws {
        try await connection.execute(
            """
            UPDATE invoices i SET amount_allocated = i.amount_allocated + d.delta,
                status = CASE
                    WHEN i.type <> 'invoice' OR i.status NOT IN ('posted', 'partially_paid', 'paid') THEN i.status
                    WHEN i.amount_allocated + d.delta >= i.total THEN 'paid'
                    WHEN i.amount_allocated + d.delta > 0 THEN 'partially_paid'
                    ELSE 'posted' END,
                updated_at = now()
            FROM (SELECT invoice, sum(delta) AS delta
                  FROM unnest(\(invoices)::bigint[], \(deltas)::numeric[]) AS x(invoice, delta) GROUP BY invoice) AS d
            WHERE i.id = d.invoice
            """
        )
    }
}
