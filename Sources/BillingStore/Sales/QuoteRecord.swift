import BillingCore
import Postgres

/// A quote row as stored; its lines are read separately.
public struct QuoteRecord: Sendable, Equatable {
    public var id: Int64
    public var opportunityID: Int64
    public var accountID: Int64
    public var currency: String
    public var status: String
    public var expiresOn: CalendarDate
    public var taxDate: CalendarDate
    public var subtotal: String
    public var taxTotal: String
    public var total: String
    /// JSON text: [{"category", "rate", "base", "amount"}].
    public var taxBreakdown: String
    /// JSON text: an array of strings.
    public var notes: String
    public var rejectionReason: String?
    public var orderID: Int64?
    public var version: Int
    public var createdAt: String
    public var updatedAt: String
    public var sentAt: String?
    public var decidedAt: String?

    static let columns = """
        id, opportunity_id, account_id, currency, status, expires_on::text AS expires_on, tax_date::text AS tax_date,
        subtotal::text AS subtotal, tax_total::text AS tax_total, total::text AS total,
        tax_breakdown::text AS tax_breakdown, notes::text AS notes, rejection_reason, order_id, version,
        rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at, rfc3339(sent_at) AS sent_at,
        rfc3339(decided_at) AS decided_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        opportunityID = try row.decode("opportunity_id")
        accountID = try row.decode("account_id")
        currency = try row.decode("currency")
        status = try row.decode("status")
        expiresOn = try row.decode("expires_on")
        taxDate = try row.decode("tax_date")
        subtotal = try row.decode("subtotal")
        taxTotal = try row.decode("tax_total")
        total = try row.decode("total")
        taxBreakdown = try row.decode("tax_breakdown")
        notes = try row.decode("notes")
        rejectionReason = try row.decode("rejection_reason")
        orderID = try row.decode("order_id")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
        sentAt = try row.decode("sent_at")
        decidedAt = try row.decode("decided_at")
    }
}

/// A quote to store: its lines priced, its totals and tax estimated.
public struct NewQuote: Sendable, Equatable {
    public var opportunityID: Int64
    public var accountID: Int64
    public var currency: String
    public var expiresOn: CalendarDate
    public var taxDate: CalendarDate
    public var lines: [QuoteLineRecord]
    public var subtotal: String
    public var taxTotal: String
    public var total: String
    public var taxBreakdown: String
    public var notes: String

    public init(
        opportunityID: Int64, accountID: Int64, currency: String, expiresOn: CalendarDate, taxDate: CalendarDate,
        lines: [QuoteLineRecord], subtotal: String, taxTotal: String, total: String, taxBreakdown: String,
        notes: String
    ) {
        self.opportunityID = opportunityID
        self.accountID = accountID
        self.currency = currency
        self.expiresOn = expiresOn
        self.taxDate = taxDate
        self.lines = lines
        self.subtotal = subtotal
        self.taxTotal = taxTotal
        self.total = total
        self.taxBreakdown = taxBreakdown
        self.notes = notes
    }
}

/// A line of a quote, as it was when the quote was made.
public struct QuoteLineRecord: Sendable, Equatable {
    public var line: SaleLine
    public var description: String
    public var amount: String
    public var taxCategory: String

    public init(line: SaleLine, description: String, amount: String, taxCategory: String) {
        self.line = line
        self.description = description
        self.amount = amount
        self.taxCategory = taxCategory
    }

    static let columns = """
        quote_id, description, amount::text AS amount, tax_category, \(SaleLine.columns)
        """

    init(row: PostgresRow) throws {
        line = try SaleLine(row: row, owner: "quote line")
        description = try row.decode("description")
        amount = try row.decode("amount")
        taxCategory = try row.decode("tax_category")
    }
}
