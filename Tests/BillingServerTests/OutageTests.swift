import BillingClient
import BillingProtocol
import BillingStore
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
        let server = try await RunningServer.start(pool: pool)
        let client = try await server.operatorClient()
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
        try await server.stop()
    }
}
