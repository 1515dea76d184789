import BillingServer
import BillingServices
import BillingStore
import EmbeddedPostgres
import Logging
import NIOCore
import Postgres
import ServiceLifecycle
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 16, the health and metrics port: 200 while the database answers, 503 when it does not,
/// the metrics text as given, and closed once the service group shuts down.
@Suite struct HealthEndpointTests {
    /// Runs an endpoint on a free port until `body` returns, then shuts it down gracefully.
    static func withEndpoint(
        store: BillingStore, metrics: String, _ body: (Int) async throws -> Void
    ) async throws {
        var logger = Logger(label: "health-test")
        logger.logLevel = .warning
        let check = HealthCheck(store: store)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let endpoint = HealthEndpoint(
            host: "127.0.0.1", port: 0, logger: logger, isHealthy: { await check.databaseAnswers() },
            metrics: { metrics },
            onListening: { address in
                continuation.yield(address.port ?? 0)
                continuation.finish()
            })
        let group = ServiceGroup(services: [endpoint], logger: logger)
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        try await body(port)
        await group.triggerGracefulShutdown()
        try await running.value
        await #expect(throws: (any Error).self) { try await HTTPProbe.get(port: port, path: "/health") }
    }

    @Test func healthFollowsTheDatabaseAndMetricsAreServed() async throws {
        let live = BillingStore(pool: try await TestDatabase.shared.appPool(maxConnections: 1))
        try await Self.withEndpoint(store: live, metrics: "ledgerline_example 1\n") { port in
            let health = try await HTTPProbe.get(port: port, path: "/health")
            #expect(health.status == 200 && health.body == "ok\n")
            let metrics = try await HTTPProbe.get(port: port, path: "/metrics")
            #expect(metrics.status == 200 && metrics.body == "ledgerline_example 1\n")
            let query = try await HTTPProbe.get(port: port, path: "/metrics?name=x")
            #expect(query.status == 200)
            let unknown = try await HTTPProbe.get(port: port, path: "/")
            #expect(unknown.status == 404)
        }
        #expect(await HealthCheck(store: live).report() == .init(status: "ok", database: "ok"))
        await live.pool.close()

        // Nothing listens on this port: the database is unreachable.
        let unreachable = "postgresql://billing_app:x@127.0.0.1:\(try EmbeddedCluster.freePort())/ledgerline"
        let dead = BillingStore(
            pool: PostgresPool(configuration: .init(url: unreachable, maxConnections: 1, connectTimeoutSeconds: 2)))
        try await Self.withEndpoint(store: dead, metrics: "") { port in
            let health = try await HTTPProbe.get(port: port, path: "/health")
            #expect(health.status == 503 && health.body == "unavailable\n")
        }
        #expect(await HealthCheck(store: dead).report() == .init(status: "degraded", database: "unreachable"))
        await dead.pool.close()
    }

    /// A server that accepts connections and never answers (a database host gone silent) makes
    /// the check answer unreachable at its timeout, not hang with the connection.
    @Test func aDatabaseThatNeverAnswersIsUnreachableAtTheTimeout() async throws {
        let port = try EmbeddedCluster.freePort()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        let bound = Loopback.withAddress(port: port) { bind(listener, $0, $1) }
        try #require(bound == 0 && listen(listener, 8) == 0)
        let silent = BillingStore(
            pool: PostgresPool(
                configuration: .init(
                    url: "postgresql://billing_app:x@127.0.0.1:\(port)/ledgerline", maxConnections: 1,
                    connectTimeoutSeconds: 30)))
        let started = ContinuousClock.now
        #expect(await HealthCheck(store: silent, timeout: .seconds(1)).databaseAnswers() == false)
        // Far below the 30 s the connection attempt itself would wait.
        #expect(ContinuousClock.now - started < .seconds(15))
        await silent.pool.close()
    }
}
