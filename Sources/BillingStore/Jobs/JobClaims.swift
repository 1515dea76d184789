import BillingCore
import Postgres

/// What workers do with jobs of every tenant: claim due ones under a lease, keep the lease alive,
/// and give a job back to the queue (to retry later, or to another worker) or bury it.
public struct JobClaims: Sendable {
    let transaction: WorkerTransaction

    public init(_ transaction: WorkerTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// Claims up to `limit` jobs of these `kinds` that are due, or whose lease expired (their
    /// worker was lost), for `owner` until `lease` from now. Locked rows are skipped, so workers
    /// never wait for each other and no job is claimed twice; a process claims only kinds it can run.
    public func claim(owner: String, kinds: [String], limit: Int, lease: Duration) async throws -> [JobRecord] {
        let rows = try await connection.query(
            """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = \(owner),
                lease_expires_at = now() + make_interval(secs => \(Self.seconds(lease))),
                started_at = coalesce(started_at, now()), updated_at = now()
            WHERE (tenant_id, id) IN (
                SELECT tenant_id, id FROM jobs
                WHERE ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND lease_expires_at < now()))
                  AND kind = ANY(\(kinds)::text[])
                ORDER BY run_at, id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            RETURNING \(unescaped: JobRecord.columns)
            """
        )
        return try rows.map(JobRecord.init(row:))
    }

    /// Jobs of every tenant not yet completed, by state: `queued` (never tried), `retrying` (queued
    /// again after a failed attempt), `running` and `dead`. States without jobs are zero.
    public func openCountsByState() async throws -> [String: Int] {
        let rows = try await connection.query(
            """
            SELECT CASE WHEN status = 'queued' AND attempts > 0 THEN 'retrying' ELSE status END AS state,
                   count(*) AS jobs
            FROM jobs WHERE status <> 'completed' GROUP BY 1
            """
        )
        var counts = ["queued": 0, "retrying": 0, "running": 0, "dead": 0]
        for row in rows {
            counts[try row.decode("state", as: String.self)] = Int(try row.decode("jobs", as: Int64.self))
        }
        return counts
    }

    /// Extends the leases `owner` still holds on these jobs and returns the ids it still holds.
    public func heartbeat(owner: String, ids: [Int64], lease: Duration) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            UPDATE jobs SET lease_expires_at = now() + make_interval(secs => \(Self.seconds(lease)))
            WHERE id = ANY(\(ids)::bigint[]) AND status = 'running' AND lease_owner = \(owner)
            RETURNING id
            """
        )
        return Set(try rows.map { try $0.decode("id", as: Int64.self) })
    }

    /// After a failed attempt: queued again `delay` from now, or dead once it has had its
    /// attempts, keeping `error` either way. Returns the new status, or nil if `owner` had lost
    /// the lease.
    public func failed(id: Int64, owner: String, error: String, retryAfter delay: Duration) async throws -> String? {
        try await connection.query(
            """
            UPDATE jobs SET
                status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                run_at = CASE WHEN attempts >= max_attempts THEN run_at
                              ELSE now() + make_interval(secs => \(Self.seconds(delay))) END,
                finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
                last_error = \(String(error.prefix(4000))), lease_owner = NULL, lease_expires_at = NULL,
                updated_at = now()
            WHERE id = \(id) AND status = 'running' AND lease_owner = \(owner)
            RETURNING status
            """
        ).first?.decode("status")
    }

    /// Gives claimed jobs back unrun (the worker is stopping): due at once for another worker, and
    /// the attempt does not count.
    public func release(ids: [Int64], owner: String) async throws {
        guard !ids.isEmpty else { return }
        try await connection.execute(
            """
            UPDATE jobs SET status = 'queued', attempts = attempts - 1, run_at = now(), lease_owner = NULL,
                lease_expires_at = NULL, updated_at = now()
            WHERE id = ANY(\(ids)::bigint[]) AND status = 'running' AND lease_owner = \(owner)
            """
        )
    }

    /// Buries jobs whose worker was lost more often than they may be attempted.
    public func buryExhausted() async throws -> Int {
        try await connection.execute(
            """
            UPDATE jobs SET status = 'dead', finished_at = now(), updated_at = now(), lease_owner = NULL,
                lease_expires_at = NULL,
                last_error = coalesce(last_error || '; ', '') || 'the worker running it was lost on the last attempt'
            WHERE (tenant_id, id) IN (
                SELECT tenant_id, id FROM jobs
                WHERE status = 'running' AND lease_expires_at < now() AND attempts >= max_attempts
                FOR UPDATE SKIP LOCKED
            )
            """
        )
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds).\(String(attoseconds / 1_000_000_000_000).leftPadded(to: 6))"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
