import BillingJobs
import BillingServer
import BillingServices
import BillingStore
import Logging
import NIOCore
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
    }

    let databaseURL: String
    /// nil: run job workers only.
    let listener: Listener?
    let poolSize: Int
    let workers: WorkerSettings

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
                            maxInFlightPerTenant: listener.maxInFlightPerTenant),
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
