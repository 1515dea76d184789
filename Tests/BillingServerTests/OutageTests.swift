import BillingClient
import BillingProtocol
import BillingServer
import BillingServices
import BillingStore
import Logging
import Postgres
import TestSupport
import Testing

@Suite struct OutageTests {
    /// With the database gone, a request fails at once with `unavailable` and the connection stays
    /// usable; once the database is back, requests succeed again without restarting the server.
    @Test func requestsFailWithUnavailableWhileTheDatabaseIsDownAndRecoverAfter() async throws {
        var cluster = try TestDatabase.makePrivateCluster()
        defer { try? cluster.stop() }
        let password = "outage-\(UInt32.random(in: 0 ... .max))"
        let provisioned = cluster
        try await DatabaseProvisioner(
            superuserURL: { provisioned.superuserURL(database: $0) },
            migrations: TestDatabase.loadMigrations()
        ).provision(database: "ledgerline", appPassword: password)
        let pool = PostgresPool(
            configuration: .init(
                url: cluster.tcpURL(database: "ledgerline", user: "billing_app", password: password),
                maxConnections: 2,
                connectTimeoutSeconds: 2
            )
        )
        let store = BillingStore(pool: pool)
        var logger = Logger(label: "outage")
        logger.logLevel = .critical
        let (ports, found) = AsyncStream.makeStream(of: Int.self)
        let server = BillingServer(
            settings: .init(port: 0),
            methods: BillingMethods.table(store: store),
            authenticator: Authenticator(store: store, operatorToken: OperatorToken("outage-token")),
            logger: logger,
            onListening: { address in
                found.yield(address.port ?? 0)
                found.finish()
            }
        )
        let running = Task { try await server.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let client = try await BillingClient.connect(host: "127.0.0.1", port: port)
        _ = try await client.call(Hello.self, .init(operatorToken: "outage-token"))
        #expect(try await client.call(TenantsList.self, PageRequest()).items.isEmpty)

        try cluster.stop()
        let started = ContinuousClock.now
        let error = await #expect(throws: RPCError.self) {
            try await client.call(TenantsList.self, PageRequest())
        }
        #expect(error?.code == -32007)
        #expect(error?.type == "unavailable")
        #expect(ContinuousClock.now - started < .seconds(4))
        #expect(try await client.call(Ping.self, NoParams()).pong)

        try cluster.start(port: cluster.port)
        let created = try await client.call(
            TenantsCreate.self,
            .init(name: "After outage", defaultCurrency: "JPY", legalEntity: .init(name: "After KK", country: "JP"))
        )
        #expect(created.tenant.defaultCurrency == "JPY")
        await client.close()
        await server.shutdownGracefully()
        try await running.value
        await pool.close()
    }
}
