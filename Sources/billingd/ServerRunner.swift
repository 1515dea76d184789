import BillingJobs
import BillingServer
import BillingServices
import BillingStore
import Logging
import NIOCore
import NIOSSL
import Postgres
import ServiceLifecycle

/// Runs the server and job workers (or workers only) until SIGTERM or SIGINT, then shuts them
/// down gracefully and closes the pool.
struct ServerRunner {
    struct Listener {
        let host: String
        let port: Int
        let operatorToken: OperatorToken?
        var maxInFlightPerTenant = ServerSettings().maxInFlightPerTenant
        var tls: NIOSSLContext?
    }

    let databaseURL: String
    /// nil: run job workers only.
    let listener: Listener?
    let poolSize: Int
    let workers: WorkerSettings
    /// The HTTP health and metrics port, when one is wanted.
    var health: (host: String, port: Int)?

    func run(onListening: @escaping @Sendable (SocketAddress) async -> Void) async throws {
        let logger = Logger(label: "billingd")
        try await PostgresPool.using(.init(url: databaseURL, maxConnections: poolSize)) { pool in
            let store = BillingStore(pool: pool)
            try await store.verifyServingRole()
            var services: [any Service] = []
            if let listener {
                let wakeups = EventWakeups(databaseURL: databaseURL, logger: logger)
                services.append(wakeups)
                services.append(
                    BillingServer(
                        settings: ServerSettings(
                            host: listener.host, port: listener.port,
                            maxInFlightPerTenant: listener.maxInFlightPerTenant, tls: listener.tls),
                        methods: BillingMethods.table(store: store),
                        authenticator: Authenticator(store: store, operatorToken: listener.operatorToken),
                        events: EventFeed(store: store, wakeups: wakeups),
                        logger: logger,
                        onListening: onListening
                    ))
            }
            if workers.concurrency > 0 {
                services += JobServices.make(store: store, databaseURL: databaseURL, settings: workers, logger: logger)
            }
            if let health {
                let check = HealthCheck(store: store)
                let gauges = OperationalGauges(store: store)
                // Last, so that it closes first on shutdown.
                services.append(
                    HealthEndpoint(
                        host: health.host, port: health.port, logger: logger,
                        isHealthy: { await check.databaseAnswers() },
                        metrics: {
                            await gauges.refresh()
                            return MetricsExport.text()
                        }))
            }
            let group = ServiceGroup(
                configuration: .init(
                    services: services.map { .init(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
        }
    }
}
