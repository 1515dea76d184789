import ArgumentParser
import BillingStore
import Postgres

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the migrations in sql/migrations as the schema owner."
    )

    @Option(help: "The schema owner's connection URL (env LEDGERLINE_DATABASE_URL).")
    var databaseURL: String?

    func run() async throws {
        Settings.bootstrapLogging()
        let url = try Settings.required(databaseURL, env: "LEDGERLINE_DATABASE_URL", option: "database-url")
        let directory = try Migration.locateDirectory(startingAt: Settings.migrationsSearchStart())
        let migrator = Migrator(
            migrations: try Migration.load(from: directory), reports: try ReportView.load(besides: directory))
        let applied = try await PostgresPool.using(.init(url: url, maxConnections: 1)) { pool in
            try await pool.withConnection { try await migrator.migrate($0) }
        }
        print(applied.isEmpty ? "schema is up to date" : "applied: \(applied.joined(separator: ", "))")
    }
}
