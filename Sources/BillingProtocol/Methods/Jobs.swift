/// A background job of the tenant: an invoice run, a renewal pass, a maintenance task.
public struct Job: Codable, Sendable, Equatable {
    public let id: String
    public let kind: String
    /// queued | running | completed | dead
    public let status: String
    public let payload: JSONValue
    public let dedupKey: String?
    /// When it is (or was last) due.
    public let runAt: String
    public let attempts: Int
    public let maxAttempts: Int
    /// Why the last attempt failed; kept when the job is dead.
    public let lastError: String?
    public let createdAt: String
    public let updatedAt: String
    public let startedAt: String?
    public let finishedAt: String?

    public init(
        id: String, kind: String, status: String, payload: JSONValue, dedupKey: String?, runAt: String, attempts: Int,
        maxAttempts: Int, lastError: String?, createdAt: String, updatedAt: String, startedAt: String?,
        finishedAt: String?
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.payload = payload
        self.dedupKey = dedupKey
        self.runAt = runAt
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, status, payload, attempts
        case dedupKey = "dedup_key"
        case runAt = "run_at"
        case maxAttempts = "max_attempts"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(status, forKey: .status)
        try container.encode(payload, forKey: .payload)
        try container.encode(dedupKey, forKey: .dedupKey)
        try container.encode(runAt, forKey: .runAt)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
    }
}

/// `jobs.get {id}`: one of the tenant's jobs.
public enum JobsGet: RPCMethod {
    public static let name = "jobs.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Job

    public struct Params: Codable, Sendable, Equatable {
        public var id: String

        public init(id: String) {
            self.id = id
        }
    }
}

/// `jobs.list`: the tenant's jobs in creation order, optionally of one status or kind.
public enum JobsList: RPCMethod {
    public static let name = "jobs.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Job>

    public struct Params: Codable, Sendable, Equatable {
        public var status: String?
        public var kind: String?
        public var limit: Int?
        public var cursor: String?

        public init(status: String? = nil, kind: String? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.status = status
            self.kind = kind
            self.limit = limit
            self.cursor = cursor
        }
    }
}

/// `jobs.retry {id}`: a dead job queued again, its attempts counted afresh.
public enum JobsRetry: RPCMethod {
    public static let name = "jobs.retry"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = JobsGet.Params
    public typealias Result = Job
}
