import BillingCore
import Postgres

/// Job schedules: kept per tenant, fired by whichever worker finds one due first.
public struct ScheduleRepository: Sendable {
    let connection: PostgresConnection

    public init(_ transaction: TenantTransaction) {
        self.connection = transaction.connection
    }

    public init(_ transaction: WorkerTransaction) {
        self.connection = transaction.connection
    }

    /// Adds the tenant's schedule called `schedule.name` unless it has one (a tenant's changes to
    /// it are kept). Returns whether it was added.
    @discardableResult
    public func ensure(_ schedule: NewSchedule, tenant: TenantID) async throws -> Bool {
        try await connection.execute(
            """
            INSERT INTO job_schedules (tenant_id, name, job_kind, payload, cadence, weekday, month_day, time_of_day,
                next_run_at)
            VALUES (\(tenant.rawValue), \(schedule.name), \(schedule.jobKind), \(schedule.payload)::jsonb,
                    \(schedule.cadence), \(schedule.weekday), \(schedule.monthDay),
                    make_interval(secs => \(schedule.secondOfDay))::time,
                    coalesce(to_timestamp(\(schedule.firstRunAt)), now()))
            ON CONFLICT (tenant_id, name) DO NOTHING
            """
        ) == 1
    }

    /// Gives every tenant that lacks it the schedule called `schedule.name`, due at once.
    public func ensureForEveryTenant(_ schedule: NewSchedule) async throws {
        try await connection.execute(
            """
            INSERT INTO job_schedules (tenant_id, name, job_kind, payload, cadence, weekday, month_day, time_of_day,
                next_run_at)
            SELECT t.id, \(schedule.name), \(schedule.jobKind), \(schedule.payload)::jsonb, \(schedule.cadence),
                   \(schedule.weekday)::smallint, \(schedule.monthDay)::smallint,
                   make_interval(secs => \(schedule.secondOfDay))::time, now()
            FROM tenants t
            WHERE NOT EXISTS (SELECT FROM job_schedules s WHERE s.tenant_id = t.id AND s.name = \(schedule.name))
            ON CONFLICT (tenant_id, name) DO NOTHING
            """
        )
    }

    /// Up to `limit` enabled schedules of any tenant that are due, locked for this transaction
    /// (skipping those another worker is firing), with the database's clock.
    public func due(limit: Int) async throws -> (schedules: [ScheduleRecord], now: Int64) {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: ScheduleRecord.columns) FROM job_schedules s JOIN tenants t ON t.id = s.tenant_id
            WHERE s.enabled AND s.next_run_at <= now()
            ORDER BY s.next_run_at LIMIT \(limit)
            FOR UPDATE OF s SKIP LOCKED
            """
        )
        return (try rows.map(ScheduleRecord.init(row:)), try await now())
    }

    /// Records that the schedule fired for `occurrence` and is next due at `nextRunAt`.
    public func advance(_ schedule: ScheduleRecord, occurrence: Int64, nextRunAt: Int64) async throws {
        try await connection.execute(
            """
            UPDATE job_schedules SET last_occurrence_at = to_timestamp(\(occurrence)),
                next_run_at = to_timestamp(\(nextRunAt)), updated_at = now()
            WHERE tenant_id = \(schedule.tenantID.rawValue) AND id = \(schedule.id)
            """
        )
    }

    /// The tenant's schedule called `name`.
    public func find(name: String) async throws -> ScheduleRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: ScheduleRecord.columns) FROM job_schedules s JOIN tenants t ON t.id = s.tenant_id
            WHERE s.name = \(name)
            """
        ).first.map(ScheduleRecord.init(row:))
    }

    /// Adds a schedule of the tenant and returns it.
    public func create(_ schedule: NewSchedule, tenant: TenantID, nextRunAt: Int64) async throws -> ScheduleRecord {
        try await connection.execute(
            """
            INSERT INTO job_schedules (tenant_id, name, job_kind, payload, cadence, weekday, month_day, time_of_day,
                next_run_at)
            VALUES (\(tenant.rawValue), \(schedule.name), \(schedule.jobKind), \(schedule.payload)::jsonb,
                    \(schedule.cadence), \(schedule.weekday), \(schedule.monthDay),
                    make_interval(secs => \(schedule.secondOfDay))::time, to_timestamp(\(nextRunAt)))
            """
        )
        guard let created = try await find(name: schedule.name) else {
            throw PostgresError(code: .server, message: "schedule \(schedule.name) was not stored")
        }
        return created
    }

    /// The tenant's schedules of one job kind, in creation order.
    public func list(jobKind: String, after: Int64?, limit: Int) async throws -> [ScheduleRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: ScheduleRecord.columns) FROM job_schedules s JOIN tenants t ON t.id = s.tenant_id
            WHERE s.job_kind = \(jobKind) AND s.id > \(after ?? 0) ORDER BY s.id LIMIT \(limit)
            """
        ).map(ScheduleRecord.init(row:))
    }

    public func find(id: Int64, jobKind: String, forUpdate: Bool = false) async throws -> ScheduleRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: ScheduleRecord.columns) FROM job_schedules s JOIN tenants t ON t.id = s.tenant_id
            WHERE s.id = \(id) AND s.job_kind = \(jobKind)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE OF s" : "")
            """
        ).first.map(ScheduleRecord.init(row:))
    }

    /// Rewrites a schedule's cadence, payload and state, due next at `nextRunAt`.
    public func update(
        id: Int64, cadence: String, weekday: Int?, monthDay: Int?, secondOfDay: Int, payload: String, enabled: Bool,
        nextRunAt: Int64
    ) async throws {
        try await connection.execute(
            """
            UPDATE job_schedules SET cadence = \(cadence), weekday = \(weekday), month_day = \(monthDay),
                time_of_day = make_interval(secs => \(secondOfDay))::time, payload = \(payload)::jsonb,
                enabled = \(enabled), next_run_at = to_timestamp(\(nextRunAt)), updated_at = now()
            WHERE id = \(id)
            """
        )
    }

    public func delete(id: Int64) async throws {
        try await connection.execute("DELETE FROM job_schedules WHERE id = \(id)")
    }

    /// The database's clock, as Unix time.
    public func now() async throws -> Int64 {
        try await connection.query("SELECT extract(epoch FROM now())::bigint AS now")[0].decode("now")
    }
}
