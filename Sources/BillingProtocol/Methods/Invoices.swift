import BillingCore

/// A line of a document: one billing transaction.
public struct InvoiceLine: Codable, Sendable, Equatable {
    public let description: String
    public let periodStart: CalendarDate?
    public let periodEnd: CalendarDate?
    public let quantity: Decimal6
    public let unitPrice: Decimal6?
    /// Net, with the currency's decimals.
    public let amount: String
    /// The service's tax category; E for an exempt buyer, AE under reverse charge.
    public let taxCategory: String
    /// The rate applied in percent (the first one when compound), null when untaxed.
    public let taxRate: Decimal6?

    public init(
        description: String, periodStart: CalendarDate?, periodEnd: CalendarDate?, quantity: Decimal6,
        unitPrice: Decimal6?, amount: String, taxCategory: String, taxRate: Decimal6?
    ) {
        self.description = description
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.amount = amount
        self.taxCategory = taxCategory
        self.taxRate = taxRate
    }

    enum CodingKeys: String, CodingKey {
        case description, quantity, amount
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case unitPrice = "unit_price"
        case taxCategory = "tax_category"
        case taxRate = "tax_rate"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(description, forKey: .description)
        try container.encode(periodStart, forKey: .periodStart)
        try container.encode(periodEnd, forKey: .periodEnd)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(unitPrice, forKey: .unitPrice)
        try container.encode(amount, forKey: .amount)
        try container.encode(taxCategory, forKey: .taxCategory)
        try container.encode(taxRate, forKey: .taxRate)
    }
}

/// One row of a document's tax breakdown: a rate, what it taxed and the tax.
public struct TaxBreakdownRow: Codable, Sendable, Equatable {
    public let category: String
    public let rate: Decimal6
    public let base: String
    public let amount: String

    public init(category: String, rate: Decimal6, base: String, amount: String) {
        self.category = category
        self.rate = rate
        self.base = base
        self.amount = amount
    }
}

/// A document: invoice, sales order, sales receipt or credit note.
public struct Invoice: Codable, Sendable, Equatable {
    public let id: String
    /// Assigned when posted, e.g. INV-2026-000001.
    public let number: String?
    /// invoice | sales_order | sales_receipt | credit_note
    public let type: String
    /// draft | posted | partially_paid | paid | void
    public let status: String
    /// The invoicer account it is addressed to.
    public let accountId: String
    public let currency: String
    public let invoiceDate: CalendarDate
    public let dueDate: CalendarDate?
    public let lines: [InvoiceLine]
    public let subtotal: String
    public let taxTotal: String
    public let total: String
    public let taxBreakdown: [TaxBreakdownRow]
    public let notes: [String]
    /// An invoice: what payments and credit notes paid of it. A credit note: what of it was applied.
    public let amountAllocated: String
    /// An invoice: what is left to pay (0 once paid, or void). A credit note: the credit not applied
    /// yet, negative. 0 for drafts, sales orders and sales receipts.
    public let balance: String
    public let runId: String?
    /// A credit note's invoice.
    public let creditedInvoiceId: String?
    public let postedAt: String?
    public let createdAt: String
    public let updatedAt: String

    public init(
        id: String, number: String?, type: String, status: String, accountId: String, currency: String,
        invoiceDate: CalendarDate, dueDate: CalendarDate?, lines: [InvoiceLine], subtotal: String, taxTotal: String,
        total: String, taxBreakdown: [TaxBreakdownRow], notes: [String], amountAllocated: String, balance: String,
        runId: String?, creditedInvoiceId: String?, postedAt: String?, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.number = number
        self.type = type
        self.status = status
        self.accountId = accountId
        self.currency = currency
        self.invoiceDate = invoiceDate
        self.dueDate = dueDate
        self.lines = lines
        self.subtotal = subtotal
        self.taxTotal = taxTotal
        self.total = total
        self.taxBreakdown = taxBreakdown
        self.notes = notes
        self.amountAllocated = amountAllocated
        self.balance = balance
        self.runId = runId
        self.creditedInvoiceId = creditedInvoiceId
        self.postedAt = postedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, number, type, status, currency, lines, subtotal, total, notes, balance
        case amountAllocated = "amount_allocated"
        case accountId = "account_id"
        case invoiceDate = "invoice_date"
        case dueDate = "due_date"
        case taxTotal = "tax_total"
        case taxBreakdown = "tax_breakdown"
        case runId = "run_id"
        case creditedInvoiceId = "credited_invoice_id"
        case postedAt = "posted_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(number, forKey: .number)
        try container.encode(type, forKey: .type)
        try container.encode(status, forKey: .status)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(currency, forKey: .currency)
        try container.encode(invoiceDate, forKey: .invoiceDate)
        try container.encode(dueDate, forKey: .dueDate)
        try container.encode(lines, forKey: .lines)
        try container.encode(subtotal, forKey: .subtotal)
        try container.encode(taxTotal, forKey: .taxTotal)
        try container.encode(total, forKey: .total)
        try container.encode(taxBreakdown, forKey: .taxBreakdown)
        try container.encode(notes, forKey: .notes)
        try container.encode(amountAllocated, forKey: .amountAllocated)
        try container.encode(balance, forKey: .balance)
        try container.encode(runId, forKey: .runId)
        try container.encode(creditedInvoiceId, forKey: .creditedInvoiceId)
        try container.encode(postedAt, forKey: .postedAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `invoices.list`, optionally of one account, run or status, in creation order.
public enum InvoicesList: RPCMethod {
    public static let name = "invoices.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Invoice>

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String?
        public var runId: String?
        public var status: String?
        public var limit: Int?
        public var cursor: String?

        public init(
            accountId: String? = nil, runId: String? = nil, status: String? = nil, limit: Int? = nil,
            cursor: String? = nil
        ) {
            self.accountId = accountId
            self.runId = runId
            self.status = status
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case status, limit, cursor
            case accountId = "account_id"
            case runId = "run_id"
        }
    }
}

/// `invoices.get {id}`.
public enum InvoicesGet: RPCMethod {
    public static let name = "invoices.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy
    public typealias Result = Invoice
}

/// `invoices.post {id}`: a draft gets the next number of its series and never changes again.
public enum InvoicesPost: RPCMethod {
    public static let name = "invoices.post"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy
    public typealias Result = Invoice
}

/// `invoices.void {id}`: a posted invoice is cancelled by a credit note; its transactions go back
/// to pending, to be billed again by the next run.
public enum InvoicesVoid: RPCMethod {
    public static let name = "invoices.void"
    public static let access = MethodAccess.tenantOnly

    public typealias Params = IdentifiedBy

    public struct Result: Codable, Sendable, Equatable {
        public let invoice: Invoice
        public let creditNote: Invoice?

        public init(invoice: Invoice, creditNote: Invoice?) {
            self.invoice = invoice
            self.creditNote = creditNote
        }

        enum CodingKeys: String, CodingKey {
            case invoice
            case creditNote = "credit_note"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(invoice, forKey: .invoice)
            try container.encode(creditNote, forKey: .creditNote)
        }
    }
}

/// A rendered document.
public struct RenderedPDF: Codable, Sendable, Equatable {
    /// The PDF, base64.
    public let contentBase64: String

    public init(contentBase64: String) {
        self.contentBase64 = contentBase64
    }

    enum CodingKeys: String, CodingKey {
        case contentBase64 = "content_base64"
    }
}

/// `invoices.pdf`: a document (invoice, credit note, sales order or receipt) as a PDF.
public enum InvoicesPDF: RPCMethod {
    public static let name = "invoices.pdf"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy
    public typealias Result = RenderedPDF
}

/// `quotes.pdf`: a quote as a PDF.
public enum QuotesPDF: RPCMethod {
    public static let name = "quotes.pdf"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy
    public typealias Result = RenderedPDF
}
