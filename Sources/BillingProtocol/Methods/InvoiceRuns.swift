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
        autoPost: Bool, documents: Int, transactions: Int, amountTotal: [String: String], startedAt: String?,
        finishedAt: String?, error: String?, createdAt: String
    ) {
        self.id = id
        self.status = status
        self.targetDate = targetDate
        self.invoiceDate = invoiceDate
        self.accountIds = accountIds
        self.autoPost = autoPost
        self.documents = documents
        self.transactions = transactions
        self.amountTotal = amountTotal
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, status, documents, transactions, error
        case targetDate = "target_date"
        case invoiceDate = "invoice_date"
        case accountIds = "account_ids"
        case autoPost = "auto_post"
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
        public var idempotencyKey: String?

        public init(
            targetDate: CalendarDate, invoiceDate: CalendarDate? = nil, accountIds: [String]? = nil,
            autoPost: Bool? = nil, idempotencyKey: String? = nil
        ) {
            self.targetDate = targetDate
            self.invoiceDate = invoiceDate
            self.accountIds = accountIds
            self.autoPost = autoPost
            self.idempotencyKey = idempotencyKey
        }

        enum CodingKeys: String, CodingKey {
            case targetDate = "target_date"
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
