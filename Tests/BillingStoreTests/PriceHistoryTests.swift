import BillingCore
import BillingStore
import Postgres
import TestSupport
import Testing

/// Prices are a history: the database itself refuses to change or remove an entry.
@Suite struct PriceHistoryTests {
    @Test func billingAppCanAddPricesButNeverChangeOrDeleteThem() async throws {
        let database = try await TestDatabase.shared
        let app = database.appPool()
        let store = BillingStore(pool: app)
        let tenant = try await TenantFixtures.makeTenant(store, name: "Price history")
        let seat = ProductServiceRecord(
            code: "seat", name: "Seat", kind: "recurring", taxCategory: "standard", unit: nil, pricingModel: "per_unit")
        let (productID, bookID) = try await store.inTenant(tenant) { transaction in
            let product = try await ProductRepository(transaction).insert(code: "P", name: "P", externalID: nil)
            try await ProductRepository(transaction).replaceServices(of: product.id, with: [seat])
            let book = try await PriceBookRepository(transaction).insert(
                name: "List", currency: "EUR", externalID: nil, isDefault: true)
            return (product.id, book.id)
        }
        let days = ["2026-01-01", "2026-02-01", "2026-03-01"].map { CalendarDate($0)! }
        let stored = try await store.inTenant(tenant) { transaction in
            try await PriceRepository(transaction).add(
                days.enumerated().map { index, day in
                    NewPrice(
                        priceBookID: bookID, accountID: nil, productID: productID, serviceCode: "seat", currency: "EUR",
                        terms: PriceTerms(model: .perUnit(unitPrice: Decimal6(index + 1)), frequency: .monthly),
                        effectiveFrom: day)
                })
        }
        #expect(stored.allSatisfy(\.isNew) && stored.map(\.record.effectiveFrom) == days)

        for statement in ["UPDATE prices SET unit_price = 0", "DELETE FROM prices", "TRUNCATE prices"] {
            let refused = await #expect(throws: PostgresError.self) {
                try await store.inTenant(tenant) {
                    try await $0.connection.execute(PostgresQuery(unsafeSQL: statement))
                }
            }
            #expect(refused?.sqlState == SQLState.insufficientPrivilege, "\(statement)")
        }

        // One lookup query answers many services and days, in the order asked.
        let wanted = ["2026-03-31", "2025-12-31", "2026-01-15", "2026-02-01"].map {
            PriceRepository.Wanted(productID: productID, serviceCode: "seat", day: CalendarDate($0)!)
        }
        let found = try await store.inTenant(tenant) { transaction in
            try await PriceRepository(transaction).lookup(wanted, chain: [], currency: "EUR", priceBookID: nil)
        }
        #expect(found.map { $0?.record.terms.model.unitPrice } == [Decimal6(3), nil, Decimal6(1), Decimal6(2)])
        #expect(found.compactMap { $0?.source } == Array(repeating: .defaultPriceBook, count: 3))
        await app.close()
    }
}
