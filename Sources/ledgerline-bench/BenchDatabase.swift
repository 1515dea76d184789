import BillingStore
import EmbeddedPostgres
import Foundation
import Postgres
import Synchronization

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

    /// Stops the cluster and removes its directory, once: an interrupted bench stops it from the
    /// signal handler while the interrupted work unwinds into `stop()` too, and the second caller
    /// waits for the first to finish.
    func stop() {
        Self.stopped.withLock { stopped in
            guard !stopped else { return }
            stopped = true
            try? cluster.stop()
            try? FileManager.default.removeItem(at: cluster.directory)
        }
    }

    private static let stopped = Mutex(false)

    /// Gives the planner statistics for the tables a bulk load filled, as autovacuum would have
    /// before a production database sees its first bill run. Empty tables are left unanalyzed, as
    /// in a new database: statistics saying "no rows" would mislead the planner as they fill.
    func analyze() async throws {
        try await owner {
            try await $0.executeScript(
                """
                DO $$
                DECLARE
                    target text;
                    filled boolean;
                BEGIN
                    FOR target IN SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' LOOP
                        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', target) INTO filled;
                        IF filled THEN
                            EXECUTE 'ANALYZE ' || target;
                        END IF;
                    END LOOP;
                END
                $$;
                """)
        }
    }

    /// Runs SQL as the schema owner (bulk data, baselines).
    @discardableResult
    func owner<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await PostgresPool.using(.init(url: ownerURL, maxConnections: 1)) { pool in
            try await pool.withConnection(body)
        }
    }
}
