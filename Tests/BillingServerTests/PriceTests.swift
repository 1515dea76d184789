import BillingClient
import BillingCore
import BillingProtocol
import Foundation
import Testing

/// Price books, price plans and the price lookup over the wire.
@Suite struct PriceTests {
    private func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// BILLING.md §7, the volume example's tiers.
    private var volumeTiers: [PriceTier] {
        [
            PriceTier(upTo: d("10000"), unitPrice: d("0.0010"), flatFee: d("10")),
            PriceTier(upTo: d("50000"), unitPrice: d("0.0008"), flatFee: d("10")),
            PriceTier(upTo: d("100000"), unitPrice: d("0.0006"), flatFee: d("10")),
            PriceTier(upTo: nil, unitPrice: d("0.0004"), flatFee: d("10")),
        ]
    }

    /// BILLING.md §7, the graduated example's tiers.
    private var graduatedTiers: [PriceTier] {
        [
            PriceTier(upTo: d("10"), unitPrice: d("10"), flatFee: d("2")),
            PriceTier(upTo: d("20"), unitPrice: d("5"), flatFee: d("3")),
            PriceTier(upTo: nil, unitPrice: d("5"), flatFee: d("3")),
        ]
    }

    /// The tenants of these tests keep their calendar in Paris.
    static func todayInParis() -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let today = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: today.year!, month: today.month!, day: today.day!)!
    }

    private struct Catalog {
        let product: Product
        let listBook: PriceBook
        let partnerBook: PriceBook
    }

    private func catalog(_ client: BillingClient) async throws -> Catalog {
        let product = try await client.call(
            ProductsCreate.self,
            .init(
                code: "CRM", name: "CRM",
                services: [
                    ProductService(code: "seat", name: "Seat", kind: "recurring", unit: "user"),
                    ProductService(code: "setup", name: "Setup", kind: "one_time"),
                    ProductService(code: "api", name: "API calls", kind: "usage", pricingModel: "volume"),
                    ProductService(code: "storage", name: "Storage", kind: "usage", pricingModel: "graduated"),
                    ProductService(code: "sms", name: "SMS", kind: "usage", pricingModel: "package"),
                ]))
        let listBook = try await client.call(
            PriceBooksCreate.self, .init(name: "List EUR", currency: "EUR", isDefault: true))
        let partnerBook = try await client.call(PriceBooksCreate.self, .init(name: "Partners EUR", currency: "EUR"))
        return Catalog(product: product, listBook: listBook, partnerBook: partnerBook)
    }

    private func lookup(
        _ client: BillingClient, account: String, product: String, service: String, on: String,
        book: String? = nil, currency: String? = nil, quantity: String? = nil
    ) async throws -> PricesLookup.Result {
        try await client.call(
            PricesLookup.self,
            .init(
                accountId: account, productId: product, serviceCode: service, on: day(on), priceBookId: book,
                currency: currency, quantity: quantity.map(d)))
    }

    @Test func bookPricesKeepTheirHistoryAndPriceEveryModel() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let catalog = try await catalog(client)
        let product = catalog.product.id
        let account = try await client.call(AccountsCreate.self, .init(name: "Customer", currency: "EUR"))
        let first = try await client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: catalog.listBook.id,
                prices: [
                    PriceInput(
                        productId: product, serviceCode: "seat", unitPrice: d("10"), effectiveFrom: day("2026-01-01")),
                    PriceInput(
                        productId: product, serviceCode: "seat", currency: "EUR", unitPrice: d("12.5"),
                        frequency: "monthly", effectiveFrom: day("2026-07-01")),
                    PriceInput(
                        productId: product, serviceCode: "api", tiers: volumeTiers, effectiveFrom: day("2026-01-01")),
                    PriceInput(
                        productId: product, serviceCode: "storage", tiers: graduatedTiers,
                        effectiveFrom: day("2026-01-01")),
                    PriceInput(
                        productId: product, serviceCode: "sms", unitPrice: d("5"), packageSize: d("100"),
                        includedQuantity: d("100"), effectiveFrom: day("2026-01-01")),
                ]))
        #expect(first.priceBookId == catalog.listBook.id && first.prices.count == 5)
        let seat = first.prices[0]
        #expect(seat.priceBookId == catalog.listBook.id && seat.accountId == nil && seat.currency == "EUR")
        #expect(seat.pricingModel == "per_unit" && seat.unitPrice == d("10") && seat.frequency == "monthly")
        #expect(seat.includedQuantity == .zero && seat.tiers == nil && seat.effectiveFrom == day("2026-01-01"))
        #expect(first.prices[2].tiers == volumeTiers && first.prices[2].frequency == nil)
        #expect(first.prices[4].packageSize == d("100") && first.prices[4].includedQuantity == d("100"))

        // The same entry again is a no-op; a different price on a day that has one is refused, and
        // the entries given with it are not added either.
        let again = try await client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: catalog.listBook.id,
                prices: [
                    PriceInput(
                        productId: product, serviceCode: "seat", unitPrice: d("10.000"),
                        effectiveFrom: day("2026-01-01"))
                ]))
        #expect(again.prices == [seat])
        let overwrite = await rpcFailure {
            try await client.call(
                PriceBooksSetPrices.self,
                .init(
                    priceBookId: catalog.listBook.id,
                    prices: [
                        PriceInput(
                            productId: product, serviceCode: "setup", unitPrice: d("99"),
                            effectiveFrom: day("2026-01-01")),
                        PriceInput(
                            productId: product, serviceCode: "seat", unitPrice: d("11"),
                            effectiveFrom: day("2026-01-01")),
                    ]))
        }
        #expect(overwrite?.code == -32005 && overwrite?.reason == "price_exists" && overwrite?.field == "prices[1]")
        let history = try await client.call(PriceBooksListPrices.self, .init(priceBookId: catalog.listBook.id))
        #expect(history.items == first.prices && history.nextCursor == nil)
        let seats = try await client.call(
            PriceBooksListPrices.self, .init(priceBookId: catalog.listBook.id, productId: product, limit: 1))
        #expect(seats.items == [seat] && seats.nextCursor == seat.id)

        // The entry in effect on each day, from the default book.
        let march = try await lookup(client, account: account.id, product: product, service: "seat", on: "2026-03-15")
        #expect(march.source == "default_price_book" && march.price == seat && march.amount == nil)
        let july = try await lookup(
            client, account: account.id, product: product, service: "seat", on: "2026-07-01", quantity: "3")
        #expect(july.price.unitPrice == d("12.5") && july.amount == "37.50" && july.quantity == d("3"))
        let june30 = try await lookup(client, account: account.id, product: product, service: "seat", on: "2026-06-30")
        #expect(june30.price == seat)
        let before = await rpcFailure {
            try await lookup(client, account: account.id, product: product, service: "seat", on: "2025-12-31")
        }
        #expect(before?.reason == "no_price" && before?.field == "service_code")
        let negative = await rpcFailure {
            try await lookup(
                client, account: account.id, product: product, service: "seat", on: "2026-03-15", quantity: "-1")
        }
        #expect(negative?.reason == "invalid_quantity" && negative?.field == "quantity")

        // BILLING.md §7 through the lookup.
        let amounts: [(String, String, String)] = [
            ("api", "65000", "49.00"), ("api", "0", "0.00"), ("storage", "12", "115.00"), ("storage", "21", "163.00"),
            ("sms", "201", "10.00"), ("sms", "100", "0.00"),
        ]
        for (service, quantity, amount) in amounts {
            let priced = try await lookup(
                client, account: account.id, product: product, service: service, on: "2026-03-01", quantity: quantity)
            #expect(priced.amount == amount, "\(service) × \(quantity)")
        }

        let types = try await BillingActivity.eventTypes(tenantID: tenant.tenant.id).filter { $0.hasPrefix("price.") }
        #expect(types == Array(repeating: "price.created", count: 5))
        await client.close()
        try await server.stop()
    }

    @Test func everyWrongPriceIsRefusedWithItsReason() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let catalog = try await catalog(client)
        let product = catalog.product.id
        let book = catalog.listBook.id
        func set(_ prices: [PriceInput]) async -> (code: Int, reason: String?, field: String?)? {
            await rpcFailure {
                try await client.call(PriceBooksSetPrices.self, .init(priceBookId: book, prices: prices))
            }
        }
        let seat = PriceInput(productId: product, serviceCode: "seat", unitPrice: d("10"))
        var dollars = seat
        dollars.currency = "USD"
        var gap = PriceInput(
            productId: product, serviceCode: "api", tiers: [PriceTier(upTo: d("10"), unitPrice: d("1"))])
        var weekly = seat
        weekly.frequency = "weekly"
        var usageFrequency = PriceInput(productId: product, serviceCode: "api", frequency: "monthly")
        usageFrequency.tiers = volumeTiers
        var seatToday = seat
        seatToday.effectiveFrom = Self.todayInParis()
        var unknownCurrency = seat
        unknownCurrency.currency = "EUX"
        var noTiers = PriceInput(productId: product, serviceCode: "storage", unitPrice: d("1"))
        noTiers.effectiveFrom = day("2026-01-01")
        let cases: [([PriceInput], Int, String, String)] = [
            ([dollars], -32005, "currency_mismatch", "prices[0].currency"),
            ([seat, gap], -32005, "invalid_tiers", "prices[1].tiers"),
            ([weekly], -32005, "invalid_frequency", "prices[0].frequency"),
            ([usageFrequency], -32005, "invalid_price", "prices[0].frequency"),
            ([noTiers], -32005, "missing_price", "prices[0].tiers"),
            (
                [PriceInput(productId: product, serviceCode: "seats", unitPrice: d("1"))], -32005, "unknown_service",
                "prices[0].service_code"
            ),
            ([seat, seat], -32005, "duplicate_price", "prices[1]"),
            ([seat, seatToday], -32005, "duplicate_price", "prices[1]"),
            ([unknownCurrency], -32005, "unknown_currency", "prices[0].currency"),
            ([], -32005, "invalid_price_count", "prices"),
        ]
        for (prices, code, reason, field) in cases {
            let got = await set(prices)
            #expect(
                got?.code == code && got?.reason == reason && got?.field == field,
                "\(reason): \(String(describing: got))")
        }
        gap.productId = "999999999"
        #expect(await set([gap])?.code == -32003)
        let missingBook = await rpcFailure {
            try await client.call(PriceBooksSetPrices.self, .init(priceBookId: "999999999", prices: [seat]))
        }
        #expect(missingBook?.code == -32003)

        // Decimals are strings with at most six fractional digits: anything else is -32602.
        for unitPrice in [#""0.1234567""#, "10", "10.5", #""1e3""#, #""ten""#] {
            let json =
                #"{"price_book_id":"\#(book)","prices":[{"product_id":"\#(product)","service_code":"seat","unit_price":\#(unitPrice)}]}"#
            let params = try WireCoding.parse(Data(json.utf8))
            let refused = await #expect(throws: RPCError.self) {
                try await client.call(method: "price_books.set_prices", params: params)
            }
            #expect(refused?.code == -32602, "unit_price \(unitPrice)")
            #expect(refused?.data.fields?.contains { $0.hasPrefix("prices[0].unit_price (") } == true)
        }
        let badDate = try WireCoding.parse(
            Data(
                #"{"price_book_id":"\#(book)","prices":[{"product_id":"\#(product)","service_code":"seat","unit_price":"1","effective_from":"2026-02-30"}]}"#
                    .utf8))
        #expect(
            await rpcFailure { try await client.call(method: "price_books.set_prices", params: badDate) }?.code
                == -32602)
        #expect(try await client.call(PriceBooksListPrices.self, .init(priceBookId: book)).items.isEmpty)
        await client.close()
        try await server.stop()
    }

    @Test func negotiatedPricesAreInheritedAndWinOverBooks() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let catalog = try await catalog(client)
        let product = catalog.product.id
        let root = try await client.call(AccountsCreate.self, .init(name: "Group", currency: "EUR"))
        let child = try await client.call(
            AccountsCreate.self, .init(name: "Division", currency: "EUR", parentId: root.id))
        let grandchild = try await client.call(
            AccountsCreate.self, .init(name: "Team", currency: "EUR", parentId: child.id))
        let other = try await client.call(AccountsCreate.self, .init(name: "Other", currency: "EUR"))
        _ = try await client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: catalog.listBook.id,
                prices: [
                    PriceInput(
                        productId: product, serviceCode: "seat", unitPrice: d("10"), effectiveFrom: day("2026-01-01")),
                    PriceInput(
                        productId: product, serviceCode: "setup", unitPrice: d("100"), effectiveFrom: day("2026-01-01")),
                ]))
        _ = try await client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: catalog.partnerBook.id,
                prices: [
                    PriceInput(
                        productId: product, serviceCode: "seat", unitPrice: d("9"), effectiveFrom: day("2026-01-01"))
                ]))
        let rootPlan = try await client.call(
            PricePlansSet.self,
            .init(
                accountId: root.id,
                prices: [
                    PriceInput(
                        productId: product, serviceCode: "seat", unitPrice: d("8"), effectiveFrom: day("2026-01-01"))
                ]))
        #expect(rootPlan.accountId == root.id && rootPlan.prices[0].accountId == root.id)
        #expect(rootPlan.prices[0].priceBookId == nil && rootPlan.prices[0].currency == "EUR")
        let childPlan = try await client.call(
            PricePlansSet.self,
            .init(
                accountId: child.id,
                prices: [
                    PriceInput(
                        productId: product, serviceCode: "seat", unitPrice: d("7"), effectiveFrom: day("2026-06-01"))
                ]))

        // Nearest account first, each on the days its price is in effect.
        let march = try await lookup(
            client, account: grandchild.id, product: product, service: "seat", on: "2026-03-01")
        #expect(march.source == "price_plan" && march.price == rootPlan.prices[0])
        let june = try await lookup(client, account: grandchild.id, product: product, service: "seat", on: "2026-06-01")
        #expect(june.source == "price_plan" && june.price == childPlan.prices[0])
        let rootJune = try await lookup(client, account: root.id, product: product, service: "seat", on: "2026-06-01")
        #expect(rootJune.price == rootPlan.prices[0])
        // The plan beats the order's book; the order's book beats the default; a service the
        // order's book does not price comes from the default book.
        let planOverBook = try await lookup(
            client, account: grandchild.id, product: product, service: "seat", on: "2026-03-01",
            book: catalog.partnerBook.id)
        #expect(planOverBook.source == "price_plan" && planOverBook.price.unitPrice == d("8"))
        let partner = try await lookup(
            client, account: other.id, product: product, service: "seat", on: "2026-03-01", book: catalog.partnerBook.id
        )
        #expect(partner.source == "price_book" && partner.price.unitPrice == d("9"))
        let fallback = try await lookup(
            client, account: other.id, product: product, service: "setup", on: "2026-03-01",
            book: catalog.partnerBook.id)
        #expect(fallback.source == "default_price_book" && fallback.price.unitPrice == d("100"))
        let list = try await lookup(client, account: other.id, product: product, service: "seat", on: "2026-03-01")
        #expect(list.source == "default_price_book" && list.price.unitPrice == d("10"))
        // Another currency: the EUR book does not price it, and no USD book does.
        let wrongBook = await rpcFailure {
            try await lookup(
                client, account: other.id, product: product, service: "seat", on: "2026-03-01",
                book: catalog.partnerBook.id, currency: "USD")
        }
        #expect(wrongBook?.reason == "currency_mismatch" && wrongBook?.field == "price_book_id")
        let noDollars = await rpcFailure {
            try await lookup(
                client, account: other.id, product: product, service: "seat", on: "2026-03-01", currency: "USD")
        }
        #expect(noDollars?.reason == "no_price")

        let planMarch = try await client.call(
            PricePlansGet.self, .init(accountId: grandchild.id, on: day("2026-03-01")))
        #expect(planMarch.prices == rootPlan.prices && planMarch.on == day("2026-03-01"))
        let planJune = try await client.call(PricePlansGet.self, .init(accountId: grandchild.id, on: day("2026-06-15")))
        #expect(planJune.prices == childPlan.prices)
        #expect(try await client.call(PricePlansGet.self, .init(accountId: other.id)).prices.isEmpty)
        #expect(try await client.call(PricePlansList.self, .init(accountId: child.id)).items == childPlan.prices)
        #expect(
            try await client.call(PricePlansList.self, .init()).items == rootPlan.prices + childPlan.prices)

        let dollars = await rpcFailure {
            try await client.call(
                PricePlansSet.self,
                .init(
                    accountId: other.id,
                    prices: [PriceInput(productId: product, serviceCode: "seat", currency: "USD", unitPrice: d("1"))]))
        }
        #expect(dollars?.reason == "currency_mismatch")
        _ = try await client.call(AccountsClose.self, .init(id: other.id))
        let closed = await rpcFailure {
            try await client.call(
                PricePlansSet.self,
                .init(
                    accountId: other.id,
                    prices: [PriceInput(productId: product, serviceCode: "seat", unitPrice: d("1"))]))
        }
        #expect(closed?.reason == "account_closed")
        let missing = await rpcFailure {
            try await client.call(PricePlansGet.self, .init(accountId: "999999999"))
        }
        #expect(missing?.code == -32003)
        let types = try await BillingActivity.eventTypes(tenantID: tenant.tenant.id).filter { $0.hasPrefix("price.") }
        #expect(types.count == 5)
        await client.close()
        try await server.stop()
    }

    @Test func aPricedServiceKeepsItsCodeKindAndModel() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let catalog = try await catalog(client)
        let product = catalog.product
        _ = try await client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: catalog.listBook.id,
                prices: [PriceInput(productId: product.id, serviceCode: "seat", unitPrice: d("10"))]))
        func update(_ services: [ProductService]) async throws -> Product {
            var params = ProductsUpdate.Params(id: product.id)
            params.services = services
            return try await client.call(ProductsUpdate.self, params)
        }
        let services = product.services
        let removed = await rpcFailure { try await update(Array(services.dropFirst())) }
        #expect(removed?.reason == "service_has_prices" && removed?.field == "services")
        var perPackage = services
        perPackage[0].pricingModel = "package"
        #expect(await rpcFailure { try await update(perPackage) }?.reason == "service_has_prices")
        var oneTime = services
        oneTime[0].kind = "one_time"
        #expect(await rpcFailure { try await update(oneTime) }?.reason == "service_has_prices")

        // Renaming a priced service and dropping an unpriced one are fine; its prices stay.
        var renamed = services.filter { $0.code != "sms" }
        renamed[0].name = "Named user"
        renamed[0].taxCategory = "reduced"
        let updated = try await update(renamed)
        #expect(updated.services.map(\.code) == ["seat", "setup", "api", "storage"])
        #expect(updated.services[0].name == "Named user" && updated.services[0].taxCategory == "reduced")
        let prices = try await client.call(PriceBooksListPrices.self, .init(priceBookId: catalog.listBook.id))
        #expect(prices.items.map(\.serviceCode) == ["seat"])
        await client.close()
        try await server.stop()
    }

    @Test func anotherTenantSeesNoneOfIt() async throws {
        let server = try await RunningServer.start()
        let (owner, _) = try await server.tenantClient()
        let (stranger, _) = try await server.tenantClient()
        let catalog = try await catalog(owner)
        let account = try await owner.call(AccountsCreate.self, .init(name: "Customer", currency: "EUR"))
        let seat = PriceInput(productId: catalog.product.id, serviceCode: "seat", unitPrice: d("10"))
        _ = try await owner.call(PriceBooksSetPrices.self, .init(priceBookId: catalog.listBook.id, prices: [seat]))
        _ = try await owner.call(PricePlansSet.self, .init(accountId: account.id, prices: [seat]))

        let strangerCatalog = try await self.catalog(stranger)
        let strangerAccount = try await stranger.call(AccountsCreate.self, .init(name: "Mine", currency: "EUR"))
        let attempts: [() async throws -> Any] = [
            {
                try await stranger.call(
                    PriceBooksSetPrices.self, .init(priceBookId: catalog.listBook.id, prices: [seat]))
            },
            { try await stranger.call(PriceBooksListPrices.self, .init(priceBookId: catalog.listBook.id)) },
            { try await stranger.call(PricePlansSet.self, .init(accountId: account.id, prices: [seat])) },
            { try await stranger.call(PricePlansGet.self, .init(accountId: account.id)) },
            {
                try await stranger.call(
                    PriceBooksSetPrices.self, .init(priceBookId: strangerCatalog.listBook.id, prices: [seat]))
            },
            {
                try await self.lookup(
                    stranger, account: strangerAccount.id, product: catalog.product.id, service: "seat",
                    on: "2030-01-01")
            },
        ]
        for attempt in attempts {
            #expect(await rpcFailure { try await attempt() }?.code == -32003)
        }
        #expect(try await stranger.call(PricePlansList.self, .init()).items.isEmpty)
        await owner.close()
        await stranger.close()
        try await server.stop()
    }
}
