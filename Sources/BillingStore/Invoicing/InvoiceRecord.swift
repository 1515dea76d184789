import BillingCore
import Postgres

/// A document as stored (its lines are read separately).
public struct InvoiceRecord: Sendable, Equatable {
    public var id: Int64
    public var runID: Int64?
    public var type: String
    public var status: String
    public var number: String?
    public var accountID: Int64
    public var currency: String
    public var invoiceDate: CalendarDate
    public var dueDate: CalendarDate?
    public var subtotal: String
    public var taxTotal: String
    public var total: String
    /// JSON array text: [{category, rate, base, amount}].
    public var taxBreakdown: String
    /// JSON array text of strings.
    public var notes: String
    public var creditedInvoiceID: Int64?
    /// An invoice: what was allocated to it. A credit note: what of it was applied.
    public var amountAllocated: String
    public var postedAt: String?
    public var createdAt: String
    public var updatedAt: String

    static let columns = """
        id, run_id, type, status, number, account_id, currency, invoice_date::text AS invoice_date,
        due_date::text AS due_date, subtotal::text AS subtotal, tax_total::text AS tax_total, total::text AS total,
        tax_breakdown::text AS tax_breakdown, notes::text AS notes, credited_invoice_id,
        amount_allocated::text AS amount_allocated,
        rfc3339(posted_at) AS posted_at, rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        runID = try row.decode("run_id")
        type = try row.decode("type")
        status = try row.decode("status")
        number = try row.decode("number")
        accountID = try row.decode("account_id")
        currency = try row.decode("currency")
        invoiceDate = try row.decode("invoice_date")
        dueDate = try row.decode("due_date")
        subtotal = try row.decode("subtotal")
        taxTotal = try row.decode("tax_total")
        total = try row.decode("total")
        taxBreakdown = try row.decode("tax_breakdown")
        notes = try row.decode("notes")
        creditedInvoiceID = try row.decode("credited_invoice_id")
        amountAllocated = try row.decode("amount_allocated")
        postedAt = try row.decode("posted_at")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}

/// A line of a document as stored.
public struct InvoiceLineRecord: Sendable, Equatable {
    public var invoiceID: Int64
    public var lineNumber: Int
    public var transactionID: Int64?
    public var description: String
    public var periodStart: CalendarDate?
    public var periodEnd: CalendarDate?
    public var quantity: Decimal6
    public var unitPrice: Decimal6?
    public var amount: String
    public var taxCategory: String
    /// JSON array text: [{category, rate, priority}].
    public var taxRates: String

    static let columns = """
        invoice_id, line_number, billing_transaction_id, description, period_start::text AS period_start,
        period_end::text AS period_end, quantity::text AS quantity, unit_price::text AS unit_price,
        amount::text AS amount, tax_category, tax_rates::text AS tax_rates
        """

    init(row: PostgresRow) throws {
        invoiceID = try row.decode("invoice_id")
        lineNumber = try row.decode("line_number")
        transactionID = try row.decode("billing_transaction_id")
        description = try row.decode("description")
        periodStart = try row.decode("period_start")
        periodEnd = try row.decode("period_end")
        quantity = try row.decode("quantity")
        unitPrice = try row.decode("unit_price")
        amount = try row.decode("amount")
        taxCategory = try row.decode("tax_category")
        taxRates = try row.decode("tax_rates")
    }
}
