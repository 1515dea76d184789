import BillingCore

/// An invoice run: bills every pending transaction due by its target date, one document per
/// invoicer, currency, payment terms, bill group and document type.
public struct InvoiceRun: Codable, Sendable, Equatable {
    public let id: String
    /// queued | running | completed | failed
    public let status: String
    public let targetDate: CalendarDate
    public let invoiceDate: CalendarDate
    public let accountIds: [String]?
    public let autoPost: Bool
    public let billGroup: String?
    /// How many jobs share the run.
    public let partitions: Int
    public let documents: Int
    public let transactions: Int
    /// Per currency: the documents' totals so far.
    public let amountTotal: [String: String]
    public let startedAt: String?
    public let finishedAt: String?
    public let error: String?
    public let createdAt: String

    public init(
        id: String, status: String, targetDate: CalendarDate, invoiceDate: CalendarDate, accountIds: [String]?,
        autoPost: Bool, billGroup: String?, documents: Int, transactions: Int, amountTotal: [String: String],
        startedAt: String?,
        finishedAt: String?, error: String?, createdAt: String, partitions: Int = 1
    ) {
        self.id = id
        self.partitions = partitions
        self.status = status
        self.targetDate = targetDate
        self.invoiceDate = invoiceDate
        self.accountIds = accountIds
        self.autoPost = autoPost
        self.billGroup = billGroup
        self.documents = documents
        self.transactions = transactions
        self.amountTotal = amountTotal
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, status, documents, transactions, error, partitions
        case targetDate = "target_date"
        case invoiceDate = "invoice_date"
        case accountIds = "account_ids"
        case autoPost = "auto_post"
        case billGroup = "bill_group"
        case amountTotal = "amount_total"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case createdAt = "created_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        try container.encode(targetDate, forKey: .targetDate)
        try container.encode(invoiceDate, forKey: .invoiceDate)
        try container.encode(accountIds, forKey: .accountIds)
        try container.encode(autoPost, forKey: .autoPost)
        try container.encode(billGroup, forKey: .billGroup)
        try container.encode(partitions, forKey: .partitions)
        try container.encode(documents, forKey: .documents)
        try container.encode(transactions, forKey: .transactions)
        try container.encode(amountTotal, forKey: .amountTotal)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(error, forKey: .error)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// `invoice_runs.start`: queues a run for the job workers.
public enum InvoiceRunsStart: RPCMethod {
    public static let name = "invoice_runs.start"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var targetDate: CalendarDate
        /// The target date when omitted.
        public var invoiceDate: CalendarDate?
        public var accountIds: [String]?
        public var autoPost: Bool?
        /// Only the documents of invoicers in this bill group.
        public var billGroup: String?
        /// 1–32 jobs sharing the run, so that several workers invoice it at once (default 1).
        public var partitions: Int?
        public var idempotencyKey: String?

        public init(
            targetDate: CalendarDate, invoiceDate: CalendarDate? = nil, accountIds: [String]? = nil,
            autoPost: Bool? = nil, billGroup: String? = nil, partitions: Int? = nil, idempotencyKey: String? = nil
        ) {
            self.targetDate = targetDate
            self.invoiceDate = invoiceDate
            self.accountIds = accountIds
            self.autoPost = autoPost
            self.billGroup = billGroup
            self.partitions = partitions
            self.idempotencyKey = idempotencyKey
        }

        enum CodingKeys: String, CodingKey {
            case partitions
            case targetDate = "target_date"
            case billGroup = "bill_group"
            case invoiceDate = "invoice_date"
            case accountIds = "account_ids"
            case autoPost = "auto_post"
            case idempotencyKey = "idempotency_key"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let run: InvoiceRun

        public init(run: InvoiceRun) {
            self.run = run
        }
    }
}

/// `invoice_runs.get {id}`: the run and its progress.
public enum InvoiceRunsGet: RPCMethod {
    public static let name = "invoice_runs.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy
    public typealias Result = InvoiceRun
}

/// `invoice_runs.list` in creation order.
public enum InvoiceRunsList: RPCMethod {
    public static let name = "invoice_runs.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = PageRequest
    public typealias Result = Page<InvoiceRun>
}

/// A document a run would write, as `invoice_runs.preview` shows it.
public struct DocumentPreview: Codable, Sendable, Equatable {
    public let type: String
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

    public init(
        type: String, accountId: String, currency: String, invoiceDate: CalendarDate, dueDate: CalendarDate?,
        lines: [InvoiceLine], subtotal: String, taxTotal: String, total: String, taxBreakdown: [TaxBreakdownRow],
        notes: [String]
    ) {
        self.type = type
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
    }

    enum CodingKeys: String, CodingKey {
        case type, currency, lines, subtotal, total, notes
        case accountId = "account_id"
        case invoiceDate = "invoice_date"
        case dueDate = "due_date"
        case taxTotal = "tax_total"
        case taxBreakdown = "tax_breakdown"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
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
    }
}

/// `invoice_runs.preview`: what a run would produce now, writing nothing — the items to invoice
/// this period. At most `limit` documents are listed (default 100, up to 1000); the counts and
/// totals cover all of them.
public enum InvoiceRunsPreview: RPCMethod {
    public static let name = "invoice_runs.preview"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var targetDate: CalendarDate
        public var invoiceDate: CalendarDate?
        public var accountIds: [String]?
        public var limit: Int?

        public init(
            targetDate: CalendarDate, invoiceDate: CalendarDate? = nil, accountIds: [String]? = nil, limit: Int? = nil
        ) {
            self.targetDate = targetDate
            self.invoiceDate = invoiceDate
            self.accountIds = accountIds
            self.limit = limit
        }

        enum CodingKeys: String, CodingKey {
            case limit
            case targetDate = "target_date"
            case invoiceDate = "invoice_date"
            case accountIds = "account_ids"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let documents: [DocumentPreview]
        /// Documents in all, listed or not.
        public let documentCount: Int
        public let transactions: Int
        public let amountTotal: [String: String]

        public init(documents: [DocumentPreview], documentCount: Int, transactions: Int, amountTotal: [String: String])
        {
            self.documents = documents
            self.documentCount = documentCount
            self.transactions = transactions
            self.amountTotal = amountTotal
        }

        enum CodingKeys: String, CodingKey {
            case documents, transactions
            case documentCount = "document_count"
            case amountTotal = "amount_total"
        }
    }
}
