import BillingCore
import Postgres

/// The database as the services see it: every unit of work is one transaction that acts either
/// for one tenant (row-level security sees only its rows) or for the operator.
public struct BillingStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Runs `body` in one transaction scoped to `tenant`: `billing.tenant_id` is set locally, so
    /// even a query without a tenant filter reads and writes only this tenant's rows.
    public func inTenant<T>(
        _ tenant: TenantID,
        isolation: PostgresConnection.IsolationLevel = .readCommitted,
        oneStatement: Bool = false,
        retryingConflicts: Bool = false,
        _ body: (TenantTransaction) async throws -> T
    ) async throws -> T {
        try await pool.withTransaction(
            isolation: isolation,
            localSettings: ["billing.tenant_id": tenant.description],
            oneStatement: oneStatement,
            retryingConflicts: retryingConflicts
        ) { connection in
            try await body(TenantTransaction(connection: connection, tenantID: tenant))
        }
    }

    /// Runs `body` in one transaction for the operator, who manages tenants and their keys.
    public func asOperator<T>(_ body: (OperatorTransaction) async throws -> T) async throws -> T {
        try await pool.withTransaction(localSettings: ["billing.operator": "on"]) { connection in
            try await body(OperatorTransaction(connection: connection))
        }
    }

    /// Runs `body` in one transaction for the job workers, who claim jobs and fire schedules of
    /// every tenant (and see nothing else of theirs).
    public func asWorker<T>(_ body: (WorkerTransaction) async throws -> T) async throws -> T {
        try await pool.withTransaction(localSettings: ["billing.worker": "on"]) { connection in
            try await body(WorkerTransaction(connection: connection))
        }
    }

    /// Refuses a role that would bypass row-level security: the server must serve as `billing_app`.
    public func verifyServingRole() async throws {
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                "SELECT current_user AS role, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
            )
        }
        guard let row = rows.first else { return }
        let role: String = try row.decode("role")
        if try row.decode("rolsuper", as: Bool.self) || row.decode("rolbypassrls", as: Bool.self) {
            throw UnsafeServingRole(role: role)
        }
    }
}

/// The server was pointed at a role that row-level security does not bind.
public struct UnsafeServingRole: Error, CustomStringConvertible {
    public let role: String

    public var description: String {
        "refusing to serve as \(role): it is a superuser or has BYPASSRLS, so tenant isolation would not hold; "
            + "connect as billing_app"
    }
}
