import BillingStore
import EmbeddedPostgres
import Foundation
import Postgres

#if canImport(Glibc)
import Glibc
#endif

/// The throwaway PostgreSQL every integration test of this process shares: one private cluster,
/// started on first use and stopped when the process exits, with a migrated database that the
/// server's role `billing_app` can log into. Tests isolate themselves by tenant, or ask for a
/// fresh database of their own.
public final class TestDatabase: Sendable {
    public let cluster: EmbeddedCluster
    public let appPassword: String
    public let migrations: [Migration]
    public static let databaseName = "ledgerline_test"

    /// The shared instance, started on first use.
    public static var shared: TestDatabase {
        get async throws { try await starting.value }
    }

    private static let starting = Task { try await TestDatabase.start() }

    private init(cluster: EmbeddedCluster, appPassword: String, migrations: [Migration]) {
        self.cluster = cluster
        self.appPassword = appPassword
        self.migrations = migrations
    }

    /// `billing_app` on the shared database, as the server connects.
    public var appURL: String {
        cluster.tcpURL(database: Self.databaseName, user: "billing_app", password: appPassword)
    }

    /// The superuser (schema owner in tests) on `database`.
    public func ownerURL(database: String = TestDatabase.databaseName) -> String {
        cluster.superuserURL(database: database)
    }

    public func appPool(maxConnections: Int = 4) -> PostgresPool {
        PostgresPool(configuration: .init(url: appURL, maxConnections: maxConnections))
    }

    public func ownerPool(database: String = TestDatabase.databaseName, maxConnections: Int = 2) -> PostgresPool {
        PostgresPool(configuration: .init(url: ownerURL(database: database), maxConnections: maxConnections))
    }

    /// A new empty database on the shared cluster, for tests that change the schema.
    public func makeEmptyDatabase() async throws -> String {
        let name = "scratch_\(UInt32.random(in: .min ... .max))"
        let pool = ownerPool(database: "postgres", maxConnections: 1)
        try await pool.withConnection { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        await pool.close()
        return name
    }

    /// A new migrated database of its own that `billing_app` can log into, for tests whose job
    /// workers must see only the tenants of that test; returns its name and billing_app's URL.
    public func makeMigratedDatabase() async throws -> (name: String, appURL: String) {
        let name = "own_\(UInt32.random(in: .min ... .max))"
        let cluster = self.cluster
        let provisioner = DatabaseProvisioner(
            superuserURL: { cluster.superuserURL(database: $0) }, migrations: migrations,
            reports: try Self.loadReports())
        // Provisioning alters the cluster-wide role billing_app: two at once fail with
        // "tuple concurrently updated", so tests running in parallel take turns.
        try await Self.provisioning.run {
            try await provisioner.provision(database: name, appPassword: self.appPassword)
        }
        return (name, cluster.tcpURL(database: name, user: "billing_app", password: appPassword))
    }

    private static let provisioning = OneAtATime()

    /// The migrations of this checkout.
    public static func loadMigrations() throws -> [Migration] {
        try Migration.load(
            from: Migration.locateDirectory(startingAt: [URL(fileURLWithPath: #filePath).deletingLastPathComponent()])
        )
    }

    /// The reporting views of this checkout.
    public static func loadReports() throws -> [ReportView] {
        try ReportView.load(
            besides: Migration.locateDirectory(startingAt: [URL(fileURLWithPath: #filePath).deletingLastPathComponent()]
            ))
    }

    /// A second, private cluster for tests that stop or restart PostgreSQL. The caller stops it.
    public static func makePrivateCluster() throws -> EmbeddedCluster {
        var cluster = try EmbeddedCluster(directory: Self.scratchDirectory(), durable: false)
        try cluster.initializeIfNeeded()
        try cluster.start()
        PostmasterRegistry.register(cluster)
        return cluster
    }

    private static func start() async throws -> TestDatabase {
        removeStaleClusters()
        var cluster = try EmbeddedCluster(directory: scratchDirectory(), durable: false)
        try cluster.initializeIfNeeded()
        try cluster.start()
        PostmasterRegistry.register(cluster)
        let password = "test-\(UInt64.random(in: .min ... .max))"
        let migrations = try loadMigrations()
        let started = cluster
        try await DatabaseProvisioner(
            superuserURL: { started.superuserURL(database: $0) }, migrations: migrations, reports: try loadReports()
        ).provision(database: databaseName, appPassword: password)
        return TestDatabase(cluster: cluster, appPassword: password, migrations: migrations)
    }

    private static func scratchDirectory() -> URL {
        URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("ledgerline-test-\(getpid())-\(UInt32.random(in: .min ... .max))")
    }

    /// Clusters of earlier test processes that died before they could stop them.
    private static func removeStaleClusters() {
        let temporary = URL(fileURLWithPath: NSTemporaryDirectory())
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for entry in entries where entry.hasPrefix("ledgerline-test-") {
            let owner = entry.split(separator: "-").dropFirst(2).first.flatMap { pid_t($0) }
            if let owner, kill(owner, 0) == 0 { continue }
            let folder = temporary.appendingPathComponent(entry)
            if let cluster = try? EmbeddedCluster(directory: folder), let pid = cluster.postmasterPID() {
                kill(pid, SIGQUIT)
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

/// Stops every cluster this process started when it exits (fast shutdown by signal, which is safe
/// in an exit handler), then removes its folder.
enum PostmasterRegistry {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var clusters: [EmbeddedCluster] = []
    nonisolated(unsafe) private static var installed = false

    static func register(_ cluster: EmbeddedCluster) {
        lock.lock()
        defer { lock.unlock() }
        clusters.append(cluster)
        if !installed {
            installed = true
            atexit { PostmasterRegistry.stopAll() }
        }
    }

    private static func stopAll() {
        let running = clusters.compactMap { $0.postmasterPID() }
        for pid in running { kill(pid, SIGINT) }
        for pid in running {
            for _ in 0..<100 where kill(pid, 0) == 0 { usleep(50_000) }
        }
        for cluster in clusters { try? FileManager.default.removeItem(at: cluster.directory) }
    }
}

/// Runs the bodies given to it one after the other.
actor OneAtATime {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
