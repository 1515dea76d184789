import BillingClient
import BillingProtocol
import Testing

@Suite struct ProductTests {
    private let services = [
        ProductService(code: "seat", name: "Seat", kind: "recurring", unit: "user"),
        ProductService(code: "setup", name: "Setup fee", kind: "one_time", taxCategory: "services"),
        ProductService(code: "api", name: "API calls", kind: "usage", unit: "call", pricingModel: "graduated"),
    ]

    @Test func productsAreCreatedWithTheirServicesAndFoundAgain() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let product = try await client.call(
            ProductsCreate.self, .init(code: "CRM-PRO", name: "CRM Pro", externalId: "sf-p-1", services: services))
        #expect(product.services.map(\.code) == ["seat", "setup", "api"])
        #expect(product.services[0].taxCategory == "standard" && product.services[0].pricingModel == "per_unit")
        #expect(product.services[2].pricingModel == "graduated")
        #expect(try await client.call(ProductsGet.self, .init(externalId: "sf-p-1")) == product)
        #expect(try await client.call(ProductsGet.self, .init(id: product.id)) == product)
        let listed = try await client.call(ProductsList.self, PageRequest())
        #expect(listed.items == [product])
        let duplicate = await #expect(throws: RPCError.self) {
            try await client.call(ProductsCreate.self, .init(code: "CRM-PRO", name: "Again", services: services))
        }
        #expect(duplicate?.code == -32004)
        let types = try await BillingActivity.eventTypes(tenantID: tenant.tenant.id).filter { $0.hasPrefix("product.") }
        #expect(types == ["product.created"])
        await client.close()
        try await server.stop()
    }

    @Test func productInputIsValidated() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let cases: [(ProductInput, String, String)] = [
            (.init(code: "has space", name: "X", services: services), "invalid_code", "code"),
            (.init(code: "X", name: "X", services: []), "no_services", "services"),
            (.init(code: "X", name: "X", services: [services[0], services[0]]), "duplicate_service", "services"),
            (
                .init(code: "X", name: "X", services: [.init(code: "s", name: "S", kind: "weekly")]), "invalid_kind",
                "services[0].kind"
            ),
            (
                .init(
                    code: "X", name: "X",
                    services: [.init(code: "s", name: "S", kind: "usage", pricingModel: "auction")]),
                "invalid_pricing_model", "services[0].pricing_model"
            ),
        ]
        for (input, reason, field) in cases {
            let error = await #expect(throws: RPCError.self) { try await client.call(ProductsCreate.self, input) }
            #expect(error?.data.reason == reason)
            #expect(error?.data.field == field)
        }
        await client.close()
        try await server.stop()
    }

    @Test func upsertAndUpdateChangeOnlyWhatDiffers() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let input = ProductInput(code: "BASIC", name: "Basic", externalId: "sf-p-2", services: [services[0]])
        let created = try await client.call(ProductsUpsert.self, input)
        #expect(created.created)
        let same = try await client.call(ProductsUpsert.self, input)
        #expect(!same.created && same.product == created.product)
        var more = input
        more.services = [services[0], services[2]]
        let grown = try await client.call(ProductsUpsert.self, more)
        #expect(grown.product.version == 2 && grown.product.services.count == 2)

        var stale = ProductsUpdate.Params(id: created.product.id, expectedVersion: 1)
        stale.name = "Basic plus"
        let conflict = await #expect(throws: RPCError.self) { try await client.call(ProductsUpdate.self, stale) }
        #expect(conflict?.code == -32004)
        stale.expectedVersion = 2
        let renamed = try await client.call(ProductsUpdate.self, stale)
        #expect(renamed.name == "Basic plus" && renamed.version == 3 && renamed.services == grown.product.services)
        let types = try await BillingActivity.eventTypes(tenantID: tenant.tenant.id).filter { $0.hasPrefix("product.") }
        #expect(types == ["product.created", "product.updated", "product.updated"])
        await client.close()
        try await server.stop()
    }
}
