import Postgres

/// Prepares a database on a cluster where we hold a superuser (the embedded dev cluster, test
/// clusters): creates it, migrates it as the owner and lets `billing_app` log in with a password.
public struct DatabaseProvisioner: Sendable {
    /// The superuser URL for a given database name.
    public let superuserURL: @Sendable (String) -> String
    public let migrations: [Migration]
    public let reports: [ReportView]

    public init(
        superuserURL: @escaping @Sendable (String) -> String, migrations: [Migration], reports: [ReportView] = []
    ) {
        self.reports = reports
        self.superuserURL = superuserURL
        self.migrations = migrations
    }

    public func provision(database: String, appPassword: String) async throws {
        try await PostgresPool.using(.init(url: superuserURL("postgres"), maxConnections: 1)) { maintenance in
            try await maintenance.withConnection { connection in
                let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(database)")
                if exists.isEmpty {
                    let name = try await connection.escapeIdentifier(database)
                    try await connection.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
                }
            }
        }
        try await PostgresPool.using(.init(url: superuserURL(database), maxConnections: 1)) { owner in
            try await owner.withConnection { connection in
                try await Migrator(migrations: migrations, reports: reports).migrate(connection)
                let password = try await connection.escapeLiteral(appPassword)
                try await connection.execute(
                    PostgresQuery(unsafeSQL: "ALTER ROLE billing_app LOGIN PASSWORD \(password)")
                )
                let name = try await connection.escapeIdentifier(database)
                try await connection.execute(
                    PostgresQuery(unsafeSQL: "GRANT CONNECT ON DATABASE \(name) TO billing_app")
                )
            }
        }
    }
}
