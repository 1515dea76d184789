import BillingCore
import Postgres

/// A transaction in which `billing.tenant_id` is set: the only way to reach tenant-owned tables.
public struct TenantTransaction: Sendable {
    public let connection: PostgresConnection
    public let tenantID: TenantID

    /// Waits for, then holds until the transaction ends, the lock called `name` in this tenant:
    /// how work that must not run twice at once (an upsert of one external id, a hierarchy move)
    /// is serialized.
    public func lock(_ name: String) async throws {
        try await connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('ledgerline.' || \(name), \(tenantID.rawValue)))"
        )
    }
}

extension TenantTransaction {
    /// The tenant's calendar day now, in its time zone.
    public func today() async throws -> CalendarDate {
        try await connection.query("SELECT tenant_today()::text AS today")[0].decode("today")
    }

    /// `given`, or the tenant's today when a request leaves the day out.
    public func day(_ given: CalendarDate?) async throws -> CalendarDate {
        if let given { return given }
        return try await today()
    }
}

/// A transaction acting for the operator, who sees every tenant but no tenant's business data.
public struct OperatorTransaction: Sendable {
    public let connection: PostgresConnection

    /// Switches this transaction to act for `tenant` (to set up a tenant the operator just made or
    /// manages), so that tenant-owned rows are written under row-level security.
    public func actingFor(_ tenant: TenantID) async throws -> TenantTransaction {
        try await connection.execute("SELECT set_config('billing.tenant_id', \(tenant.description), true)")
        return TenantTransaction(connection: connection, tenantID: tenant)
    }
}

/// A transaction of the job workers: it sees the jobs and schedules of every tenant.
public struct WorkerTransaction: Sendable {
    public let connection: PostgresConnection

    /// Switches this transaction to act for `tenant`, as the operator's does.
    public func actingFor(_ tenant: TenantID) async throws -> TenantTransaction {
        try await connection.execute("SELECT set_config('billing.tenant_id', \(tenant.description), true)")
        return TenantTransaction(connection: connection, tenantID: tenant)
    }
}
