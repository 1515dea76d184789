import Postgres

/// Applies migrations in order, each in its own transaction, recording name and checksum.
///
/// Run as the schema owner. Concurrent migrators wait on an advisory lock, so two `billingd migrate`
/// processes never apply the same migration twice.
public struct Migrator: Sendable {
    public let migrations: [Migration]
    /// Created again after the migrations, every time.
    public let reports: [ReportView]

    public init(migrations: [Migration], reports: [ReportView] = []) {
        self.migrations = migrations
        self.reports = reports
    }

    /// Applies what is missing and returns the names applied now.
    @discardableResult
    public func migrate(_ connection: PostgresConnection) async throws -> [String] {
        try await connection.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
        do {
            let applied = try await applyMissing(connection)
            if !reports.isEmpty {
                try await connection.transaction { transaction in
                    for report in reports { try await transaction.executeScript(report.sql) }
                }
            }
            try await connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))")
            return applied
        } catch {
            _ = try? await connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))")
            throw error
        }
    }

    private static let lockKey: Int64 = 7_070_001

    private func applyMissing(_ connection: PostgresConnection) async throws -> [String] {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        let rows = try await connection.query("SELECT version, name, checksum FROM schema_migrations")
        var recorded: [Int: (name: String, checksum: String)] = [:]
        for row in rows {
            recorded[try row.decode("version")] = (try row.decode("name"), try row.decode("checksum"))
        }
        let known = Set(migrations.map(\.version))
        if let orphan = recorded.first(where: { !known.contains($0.key) }) {
            throw MigrationError.missingFile(orphan.value.name)
        }
        var appliedNow: [String] = []
        for migration in migrations {
            if let existing = recorded[migration.version] {
                guard existing.checksum == migration.checksum else {
                    throw MigrationError.edited(
                        name: migration.name,
                        applied: existing.checksum,
                        onDisk: migration.checksum
                    )
                }
                continue
            }
            try await connection.transaction { transaction in
                try await transaction.executeScript(migration.sql)
                try await transaction.execute(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """
                )
            }
            appliedNow.append(migration.name)
        }
        return appliedNow
    }
}
