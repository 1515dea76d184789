import BillingServer
import BillingServices
import BillingStore
import Logging
import NIOCore
import Postgres
import ServiceLifecycle

/// Runs the server until SIGTERM or SIGINT, then shuts it down gracefully and closes the pool.
struct ServerRunner {
    let databaseURL: String
    let host: String
    let port: Int
    let operatorToken: OperatorToken?
    let poolSize: Int

    func run(onListening: @escaping @Sendable (SocketAddress) async -> Void) async throws {
        let logger = Logger(label: "billingd")
        try await PostgresPool.using(.init(url: databaseURL, maxConnections: poolSize)) { pool in
            let store = BillingStore(pool: pool)
            try await store.verifyServingRole()
            let server = BillingServer(
                settings: ServerSettings(host: host, port: port),
                methods: BillingMethods.table(store: store),
                authenticator: Authenticator(store: store, operatorToken: operatorToken),
                logger: logger,
                onListening: onListening
            )
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: server)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
        }
    }
}
