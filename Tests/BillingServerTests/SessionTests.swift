import BillingClient
import BillingProtocol
import Foundation
import Testing

@Suite struct SessionTests {
    @Test func operatorCreatesATenantWhoseKeySaysHelloAndPings() async throws {
        let server = try await RunningServer.start()
        let operatorSession = try await server.operatorClient()
        let created = try await operatorSession.call(
            TenantsCreate.self,
            .init(
                name: "Acme", defaultCurrency: "EUR",
                legalEntity: .init(
                    name: "Acme SAS", country: "FR", vatNumber: "FR40303265045",
                    address: Address(line1: "3 rue de Rivoli", city: "Paris", postalCode: "75004", country: "FR")))
        )
        #expect(created.tenant.name == "Acme")
        #expect(created.tenant.timezone == "UTC")
        #expect(created.tenant.legalEntity.vatNumber == "FR40303265045")
        #expect(
            created.tenant.legalEntity.address
                == Address(line1: "3 rue de Rivoli", city: "Paris", postalCode: "75004", country: "FR"))
        #expect(created.tenant.version == 1)
        #expect(created.apiKey.hasPrefix("lk_\(created.tenant.id)_"))
        #expect(created.apiSecret.count >= 43)

        let tenant = try await server.connect()
        let hello = try await tenant.call(
            Hello.self, .init(apiKey: created.apiKey, apiSecret: created.apiSecret, client: "acme-sync/2.1"))
        #expect(hello.tenantId == created.tenant.id)
        #expect(hello.role == "tenant")
        #expect(hello.protocol == 1)
        #expect(try await tenant.call(Ping.self, NoParams()).pong)
        await tenant.close()
        await operatorSession.close()
        try await server.stop()
    }

    @Test func aWrongSecretIsUnauthenticatedAndThreeFailuresClose() async throws {
        let server = try await RunningServer.start()
        let (good, created) = try await server.tenantClient()
        await good.close()

        let client = try await server.connect()
        for attempt in 1...3 {
            let error = await #expect(throws: RPCError.self) {
                try await client.call(Hello.self, .init(apiKey: created.apiKey, apiSecret: "wrong-\(attempt)"))
            }
            #expect(error?.code == -32001)
            #expect(error?.type == "unauthenticated")
        }
        await client.waitUntilClosed()
        #expect(await client.closed)

        let operatorSession = try await server.connect()
        let badToken = await #expect(throws: RPCError.self) {
            try await operatorSession.call(Hello.self, .init(operatorToken: "not-the-token"))
        }
        #expect(badToken?.code == -32001)
        await operatorSession.close()
        try await server.stop()
    }

    @Test func methodsNeedTheRightSession() async throws {
        let server = try await RunningServer.start()
        let anonymous = try await server.connect()
        #expect(try await anonymous.call(Ping.self, NoParams()).pong)
        let beforeHello = await #expect(throws: RPCError.self) {
            try await anonymous.call(TenantsList.self, PageRequest())
        }
        #expect(beforeHello?.code == -32001)
        await anonymous.close()

        let (tenant, _) = try await server.tenantClient()
        let forbidden = await #expect(throws: RPCError.self) {
            try await tenant.call(TenantsList.self, PageRequest())
        }
        #expect(forbidden?.code == -32002)
        let unknown = await #expect(throws: RPCError.self) {
            try await tenant.call(method: "no.such.method")
        }
        #expect(unknown?.code == -32601)
        let secondHello = await #expect(throws: RPCError.self) {
            try await tenant.call(Hello.self, .init(operatorToken: RunningServer.operatorToken))
        }
        #expect(secondHello?.code == -32600)
        await tenant.close()
        try await server.stop()
    }

    @Test func anUnauthenticatedConnectionIsClosedAfterTheHelloTimeout() async throws {
        let server = try await RunningServer.start(settings: .init(port: 0, helloTimeout: .milliseconds(300)))
        let (authenticated, _) = try await server.tenantClient()
        let started = ContinuousClock.now
        let idle = try await server.connect()
        await idle.waitUntilClosed()
        let lived = ContinuousClock.now - started
        #expect(lived >= .milliseconds(300) && lived < .seconds(3))
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await authenticated.call(Ping.self, NoParams()).pong)
        await authenticated.close()
        try await server.stop()
    }

    @Test func revokedKeysAreRefusedAndNewKeysWork() async throws {
        let server = try await RunningServer.start()
        let (tenant, created) = try await server.tenantClient()
        await tenant.close()
        let operatorSession = try await server.operatorClient()
        let second = try await operatorSession.call(ApiKeysCreate.self, .init(tenantId: created.tenant.id))
        #expect(second.tenantId == created.tenant.id)
        #expect(second.apiKey != created.apiKey)
        let revoked = try await operatorSession.call(ApiKeysRevoke.self, .init(apiKey: created.apiKey))
        let again = try await operatorSession.call(ApiKeysRevoke.self, .init(apiKey: created.apiKey))
        #expect(again.revokedAt == revoked.revokedAt)

        let refused = try await server.connect()
        let error = await #expect(throws: RPCError.self) {
            try await refused.call(Hello.self, .init(apiKey: created.apiKey, apiSecret: created.apiSecret))
        }
        #expect(error?.code == -32001)
        await refused.close()

        let rotated = try await server.connect()
        let hello = try await rotated.call(Hello.self, .init(apiKey: second.apiKey, apiSecret: second.apiSecret))
        #expect(hello.tenantId == created.tenant.id)
        await rotated.close()

        let missing = await #expect(throws: RPCError.self) {
            try await operatorSession.call(ApiKeysCreate.self, .init(tenantId: "999999999"))
        }
        #expect(missing?.code == -32003)
        await operatorSession.close()
        try await server.stop()
    }

    @Test func aKeyRevokedWhileASessionIsOpenStopsThatSession() async throws {
        let server = try await RunningServer.start(settings: .init(port: 0, credentialRecheckInterval: .zero))
        let (tenant, created) = try await server.tenantClient()
        #expect(try await tenant.call(Ping.self, NoParams()).pong)
        let operatorSession = try await server.operatorClient()
        _ = try await operatorSession.call(ApiKeysRevoke.self, .init(apiKey: created.apiKey))
        let error = await #expect(throws: RPCError.self) {
            try await tenant.call(Ping.self, NoParams())
        }
        #expect(error?.code == -32001)
        await tenant.waitUntilClosed()
        await operatorSession.close()
        try await server.stop()
    }

    @Test func tenantsArePagedInCreationOrder() async throws {
        let server = try await RunningServer.start()
        let operatorSession = try await server.operatorClient()
        var created: [String] = []
        for index in 1...5 {
            let result = try await operatorSession.call(
                TenantsCreate.self,
                .init(
                    name: "Paged \(index)", defaultCurrency: "USD",
                    legalEntity: .init(name: "Paged \(index) Inc", country: "US"))
            )
            created.append(result.tenant.id)
        }
        var everyone: [Tenant] = []
        var cursor: String?
        repeat {
            let page = try await operatorSession.call(TenantsList.self, PageRequest(limit: 2, cursor: cursor))
            #expect(page.items.count <= 2)
            everyone += page.items
            cursor = page.nextCursor
        } while cursor != nil
        let ids = everyone.compactMap { Int($0.id) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        let listed = everyone.map(\.id)
        #expect(created.allSatisfy(listed.contains))
        #expect(everyone.first { $0.id == created[2] }?.name == "Paged 3")
        let tooMany = await #expect(throws: RPCError.self) {
            try await operatorSession.call(TenantsList.self, PageRequest(limit: 1001))
        }
        #expect(tooMany?.code == -32602)
        await operatorSession.close()
        try await server.stop()
    }

    @Test func badTenantInputIsRefusedPrecisely() async throws {
        let server = try await RunningServer.start()
        let operatorSession = try await server.operatorClient()
        let currency = await #expect(throws: RPCError.self) {
            try await operatorSession.call(
                TenantsCreate.self,
                .init(name: "X", defaultCurrency: "EUX", legalEntity: .init(name: "X", country: "FR")))
        }
        #expect(currency?.code == -32005)
        #expect(currency?.data.reason == "unknown_currency")
        #expect(currency?.data.field == "default_currency")
        let country = await #expect(throws: RPCError.self) {
            try await operatorSession.call(
                TenantsCreate.self,
                .init(name: "X", defaultCurrency: "EUR", legalEntity: .init(name: "X", country: "ZZ")))
        }
        #expect(country?.data.reason == "unknown_country")
        #expect(country?.data.field == "legal_entity.country")
        let postal = await #expect(throws: RPCError.self) {
            try await operatorSession.call(
                TenantsCreate.self,
                .init(
                    name: "X", defaultCurrency: "EUR",
                    legalEntity: .init(
                        name: "X", country: "FR",
                        address: Address(line1: "1 rue X", city: "Paris", postalCode: "", country: "FR"))))
        }
        #expect(postal?.data.field == "legal_entity.address.postal_code")
        let zone = await #expect(throws: RPCError.self) {
            try await operatorSession.call(
                TenantsCreate.self,
                .init(
                    name: "X", defaultCurrency: "EUR", timezone: "Mars/Olympus",
                    legalEntity: .init(name: "X", country: "FR")))
        }
        #expect(zone?.data.reason == "unknown_timezone")
        let mistyped = await #expect(throws: RPCError.self) {
            try await operatorSession.call(
                method: "tenants.create",
                params: .object([
                    "name": .string("X"), "default_currency": .integer(978),
                    "legal_entity": .object(["name": .string("X"), "country": .string("FR")]),
                ])
            )
        }
        #expect(mistyped?.code == -32602)
        #expect(mistyped?.data.fields == ["default_currency (expected a string, got number)"])
        let unknown = await #expect(throws: RPCError.self) {
            try await operatorSession.call(
                method: "tenants.create",
                params: .object([
                    "name": .string("X"), "default_currency": .string("EUR"), "colour": .string("red"),
                    "legal_entity": .object(["name": .string("X"), "country": .string("FR"), "extra": .bool(true)]),
                ])
            )
        }
        #expect(unknown?.data.fields == ["colour (unknown field)", "legal_entity.extra (unknown field)"])
        let missing = await #expect(throws: RPCError.self) {
            try await operatorSession.call(method: "tenants.create", params: .object(["name": .string("X")]))
        }
        #expect(missing?.data.fields == ["default_currency (missing)"])
        await operatorSession.close()
        try await server.stop()
    }
}
