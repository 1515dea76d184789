import BillingCore
import Postgres

/// A job row as stored.
public struct JobRecord: Sendable, Equatable {
    public var tenantID: TenantID
    public var id: Int64
    public var kind: String
    /// JSON object text.
    public var payload: String
    public var dedupKey: String?
    /// queued | running | completed | dead
    public var status: String
    public var runAt: String
    public var attempts: Int
    public var maxAttempts: Int
    public var leaseOwner: String?
    public var lastError: String?
    public var createdAt: String
    public var updatedAt: String
    public var startedAt: String?
    public var finishedAt: String?

    static let columns = """
        tenant_id, id, kind, payload::text AS payload, dedup_key, status, rfc3339(run_at) AS run_at, attempts,
        max_attempts, lease_owner, last_error, rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at,
        rfc3339(started_at) AS started_at, rfc3339(finished_at) AS finished_at
        """

    init(row: PostgresRow) throws {
        tenantID = TenantID(try row.decode("tenant_id", as: Int64.self))
        id = try row.decode("id")
        kind = try row.decode("kind")
        payload = try row.decode("payload")
        dedupKey = try row.decode("dedup_key")
        status = try row.decode("status")
        runAt = try row.decode("run_at")
        attempts = try row.decode("attempts")
        maxAttempts = try row.decode("max_attempts")
        leaseOwner = try row.decode("lease_owner")
        lastError = try row.decode("last_error")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
        startedAt = try row.decode("started_at")
        finishedAt = try row.decode("finished_at")
    }
}

/// A job to enqueue.
public struct NewJob: Sendable, Equatable {
    public var kind: String
    /// JSON object text.
    public var payload: String
    public var dedupKey: String?
    /// nil: now.
    public var runAt: String?
    public var maxAttempts: Int

    public init(
        kind: String, payload: String = "{}", dedupKey: String? = nil, runAt: String? = nil, maxAttempts: Int = 5
    ) {
        self.kind = kind
        self.payload = payload
        self.dedupKey = dedupKey
        self.runAt = runAt
        self.maxAttempts = maxAttempts
    }
}
