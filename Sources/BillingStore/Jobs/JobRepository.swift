import BillingCore
import Postgres

/// A tenant's jobs: enqueued inside the transaction of their cause, so a job exists if and only if
/// its cause committed.
public struct JobRepository: Sendable {
    /// The channel workers LISTEN on; a NOTIFY is delivered only when the enqueuing transaction commits.
    public static let channel = "ledgerline_jobs"

    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// Enqueues `job` and wakes the workers at commit. With a `dedupKey` already used for this
    /// kind, nothing is added and the existing job is returned.
    @discardableResult
    public func enqueue(_ job: NewJob) async throws -> JobRecord {
        let rows = try await connection.query(
            """
            WITH added AS (
                INSERT INTO jobs (tenant_id, kind, payload, dedup_key, run_at, max_attempts)
                VALUES (\(transaction.tenantID.rawValue), \(job.kind), \(job.payload)::jsonb, \(job.dedupKey),
                        coalesce(\(job.runAt)::timestamptz, now()), \(job.maxAttempts))
                ON CONFLICT (tenant_id, kind, dedup_key) DO NOTHING
                RETURNING *
            ), woken AS (
                SELECT pg_notify(\(Self.channel), '') FROM added
            )
            SELECT \(unescaped: JobRecord.columns) FROM added, (SELECT count(*) FROM woken) AS w
            UNION ALL
            SELECT \(unescaped: JobRecord.columns) FROM jobs
            WHERE tenant_id = \(transaction.tenantID.rawValue) AND kind = \(job.kind) AND dedup_key = \(job.dedupKey)
              AND NOT EXISTS (SELECT FROM added)
            """
        )
        if let row = rows.first { return try JobRecord(row: row) }
        // A concurrent transaction added the same occurrence first: a new statement sees it.
        let existing = try await connection.query(
            """
            SELECT \(unescaped: JobRecord.columns) FROM jobs
            WHERE tenant_id = \(transaction.tenantID.rawValue) AND kind = \(job.kind) AND dedup_key = \(job.dedupKey)
            """
        )
        guard let row = existing.first else {
            throw PostgresError(code: .server, message: "job \(job.kind) was neither added nor found")
        }
        return try JobRecord(row: row)
    }

    public func find(id: Int64) async throws -> JobRecord? {
        try await connection.query("SELECT \(unescaped: JobRecord.columns) FROM jobs WHERE id = \(id)")
            .first.map(JobRecord.init(row:))
    }

    public func list(status: String?, kind: String?, after: Int64?, limit: Int) async throws -> [JobRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: JobRecord.columns) FROM jobs
            WHERE id > \(after ?? 0) AND (\(status)::text IS NULL OR status = \(status))
              AND (\(kind)::text IS NULL OR kind = \(kind))
            ORDER BY id LIMIT \(limit)
            """
        )
        return try rows.map(JobRecord.init(row:))
    }

    /// Queues a dead job again, due now with its attempts counted afresh (`last_error` stays until
    /// it next runs), and wakes the workers at commit; nil when the job is not dead.
    public func retryDead(id: Int64) async throws -> JobRecord? {
        try await connection.query(
            """
            WITH retried AS (
                UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), finished_at = NULL, updated_at = now()
                WHERE id = \(id) AND status = 'dead'
                RETURNING *
            ), woken AS (
                SELECT pg_notify(\(Self.channel), '') FROM retried
            )
            SELECT \(unescaped: JobRecord.columns) FROM retried, (SELECT count(*) FROM woken) AS w
            """
        ).first.map(JobRecord.init(row:))
    }

    /// Deletes the tenant's jobs completed more than `days` days ago; how many.
    public func purgeCompleted(olderThanDays days: Int) async throws -> Int {
        try await connection.execute(
            """
            DELETE FROM jobs WHERE status = 'completed' AND finished_at < now() - make_interval(days => \(days))
            """
        )
    }

    /// Marks the job completed, in the transaction that did its work, if `owner` still holds its
    /// lease; false when the lease was lost (the caller must then roll its work back).
    public func complete(id: Int64, owner: String) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE jobs SET status = 'completed', finished_at = now(), updated_at = now(), lease_owner = NULL,
                lease_expires_at = NULL, last_error = NULL
            WHERE id = \(id) AND status = 'running' AND lease_owner = \(owner)
            """
        ) == 1
    }
}
