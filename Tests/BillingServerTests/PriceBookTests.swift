import BillingClient
import BillingProtocol
import Testing

@Suite struct PriceBookTests {
    @Test func oneDefaultPerCurrencyMovesBetweenBooks() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let list2025 = try await client.call(
            PriceBooksCreate.self, .init(name: "EUR 2025", currency: "EUR", isDefault: true))
        #expect(list2025.isDefault && list2025.version == 1)
        let dollars = try await client.call(PriceBooksCreate.self, .init(name: "USD", currency: "USD", isDefault: true))
        let list2026 = try await client.call(
            PriceBooksCreate.self, .init(name: "EUR 2026", currency: "EUR", isDefault: true))
        #expect(list2026.isDefault && list2026.version == 1)
        let demoted = try await client.call(PriceBooksGet.self, .init(id: list2025.id))
        #expect(!demoted.isDefault && demoted.version == 2)
        #expect(try await client.call(PriceBooksGet.self, .init(id: dollars.id)).isDefault)

        let euroBooks = try await client.call(PriceBooksList.self, .init(currency: "EUR"))
        #expect(euroBooks.items.map(\.id) == [list2025.id, list2026.id])
        #expect(euroBooks.items.filter(\.isDefault).map(\.id) == [list2026.id])

        var back = PriceBooksUpdate.Params(id: list2025.id, expectedVersion: 2)
        back.isDefault = true
        #expect(try await client.call(PriceBooksUpdate.self, back).isDefault)
        #expect(try await client.call(PriceBooksGet.self, .init(id: list2026.id)).isDefault == false)

        var drop = PriceBooksUpdate.Params(id: list2025.id)
        drop.isDefault = false
        let refused = await #expect(throws: RPCError.self) { try await client.call(PriceBooksUpdate.self, drop) }
        #expect(refused?.data.reason == "default_required")
        var same = PriceBooksUpdate.Params(id: list2025.id)
        same.name = "EUR 2025"
        #expect(try await client.call(PriceBooksUpdate.self, same).version == 3)

        let badCurrency = await #expect(throws: RPCError.self) {
            try await client.call(PriceBooksCreate.self, .init(name: "X", currency: "EURO"))
        }
        #expect(badCurrency?.data.reason == "unknown_currency")
        let types = try await BillingActivity.eventTypes(tenantID: tenant.tenant.id).filter {
            $0.hasPrefix("price_book.")
        }
        #expect(
            types == [
                "price_book.created", "price_book.created", "price_book.updated", "price_book.created",
                "price_book.updated", "price_book.updated",
            ]
        )
        await client.close()
        try await server.stop()
    }
}
