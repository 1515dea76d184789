import BillingClient
import BillingCore
import BillingProtocol

/// A tenant that sells a SaaS product: a seat at 50.00 a month and a one-time setup at 99.50 in
/// the default EUR price book, a monthly and a one-time billing process, and a customer account
/// billed on the 1st.
struct SalesFixture {
    let client: BillingClient
    let tenant: TenantsCreate.Result
    let tenantID: String
    let product: Product
    let monthly: BillingProcess
    let once: BillingProcess
    let account: Account
    let book: PriceBook

    static func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    static func start(_ server: RunningServer) async throws -> SalesFixture {
        let (client, tenant) = try await server.tenantClient()
        let product = try await client.call(
            ProductsCreate.self,
            .init(
                code: "SAAS", name: "SaaS",
                services: [
                    ProductService(code: "seat", name: "Seat", kind: "recurring"),
                    ProductService(code: "setup", name: "Setup", kind: "one_time"),
                ]))
        let book = try await client.call(PriceBooksCreate.self, .init(name: "List", currency: "EUR", isDefault: true))
        _ = try await client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: book.id,
                prices: [
                    PriceInput(
                        productId: product.id, serviceCode: "seat", unitPrice: d("50"), effectiveFrom: day("2020-01-01")
                    ),
                    PriceInput(
                        productId: product.id, serviceCode: "setup", unitPrice: d("99.5"),
                        effectiveFrom: day("2020-01-01")),
                ]))
        return SalesFixture(
            client: client, tenant: tenant, tenantID: tenant.tenant.id, product: product,
            monthly: try await client.call(
                BillingProcessesCreate.self, .init(name: "Monthly", kind: "recurring", frequency: "monthly")),
            once: try await client.call(BillingProcessesCreate.self, .init(name: "Once", kind: "one_time")),
            account: try await client.call(
                AccountsCreate.self, .init(name: "Customer", currency: "EUR", billingDay: 1)),
            book: book)
    }

    /// Another session of the same tenant.
    func session(_ server: RunningServer) async throws -> BillingClient {
        let client = try await server.connect()
        _ = try await client.call(Hello.self, Hello.Params(apiKey: tenant.apiKey, apiSecret: tenant.apiSecret))
        return client
    }

    func seat(_ quantity: String, discount: String? = nil, price: String? = nil) -> OpportunityItemInput {
        OpportunityItemInput(
            productId: product.id, serviceCode: "seat", quantity: Self.d(quantity), unitPrice: price.map(Self.d),
            discountPercent: discount.map(Self.d), billingProcessId: monthly.id)
    }

    func setup(_ quantity: String, price: String? = nil) -> OpportunityItemInput {
        OpportunityItemInput(
            productId: product.id, serviceCode: "setup", quantity: Self.d(quantity), unitPrice: price.map(Self.d),
            billingProcessId: once.id)
    }

    func opportunity(
        _ items: [OpportunityItemInput], start: String = "2026-01-01", end: String? = "2026-12-31"
    ) async throws -> Opportunity {
        try await client.call(
            OpportunitiesCreate.self,
            .init(
                accountId: account.id, name: "Deal", closeDate: Self.day(start), startDate: Self.day(start),
                endDate: end.map(Self.day), items: items))
    }

    func orders() async throws -> [Order] {
        try await client.call(OrdersList.self, .init(accountId: account.id, limit: 100)).items
    }
}
