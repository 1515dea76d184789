import BillingStore
import EmbeddedPostgres
import Foundation
import Postgres

/// A throwaway PostgreSQL cluster with a migrated database, as `make run` would have it.
struct BenchDatabase {
    var cluster: EmbeddedCluster
    let appURL: String
    let ownerURL: String

    static let name = "bench"

    static func start() async throws -> BenchDatabase {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("ledgerline-bench-\(getpid())")
        var cluster = try EmbeddedCluster(directory: directory, durable: false)
        try cluster.initializeIfNeeded()
        try cluster.start()
        let password = UUID().uuidString
        let migrations = try Migration.load(
            from: Migration.locateDirectory(startingAt: [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            ]))
        let started = cluster
        try await DatabaseProvisioner(superuserURL: { started.superuserURL(database: $0) }, migrations: migrations)
            .provision(database: name, appPassword: password)
        return BenchDatabase(
            cluster: cluster, appURL: cluster.tcpURL(database: name, user: "billing_app", password: password),
            ownerURL: cluster.superuserURL(database: name))
    }

    func stop() {
        try? cluster.stop()
        try? FileManager.default.removeItem(at: cluster.directory)
    }

    /// Brings the planner's statistics up to date after a bulk load, as autovacuum would before
    /// a production database sees its first bill run.
    func analyze() async throws {
        try await owner { try await $0.execute("VACUUM ANALYZE") }
    }

    /// Runs SQL as the schema owner (bulk data, baselines).
    @discardableResult
    func owner<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await PostgresPool.using(.init(url: ownerURL, maxConnections: 1)) { pool in
            try await pool.withConnection(body)
        }
    }
}
