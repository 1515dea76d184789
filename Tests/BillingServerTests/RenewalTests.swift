import BillingClient
import BillingCore
import BillingProtocol
import TestSupport
import Testing

/// Renewals over the wire (BILLING.md §11): one renewal opportunity per order term, its recurring
/// items priced by the tenant's method; winning it makes the follow-on order.
@Suite struct RenewalTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// An active order for 2026: 3 seats at 50.00 a month and a one-time setup.
    func activeOrder(
        _ sales: SalesFixture, start: String = "2026-01-01", end: String = "2026-12-31"
    ) async throws
        -> Order
    {
        let order = try await sales.client.call(
            OrdersCreate.self,
            .init(
                accountId: sales.account.id, type: "subscription", startDate: day(start), endDate: day(end),
                newOrder: true,
                items: [
                    OrderItemInput(
                        productId: sales.product.id, serviceCode: "seat", quantity: d("3"),
                        billingProcessId: sales.monthly.id),
                    OrderItemInput(
                        productId: sales.product.id, serviceCode: "setup", quantity: d("1"),
                        billingProcessId: sales.once.id),
                ]))
        return try await sales.client.call(OrdersActivate.self, .init(id: order.id, activationDate: day(start)))
    }

    @Test func oneRenewalPerOrderTermWithItsRecurringItems() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        let order = try await activeOrder(sales)
        // Ends 2026-12-31, lead 30 days: due from 2026-12-01.
        let early = try await sales.client.call(RenewalsScan.self, .init(asOf: day("2026-11-30")))
        #expect(early.opportunityIds.isEmpty)
        let due = try await sales.client.call(RenewalsScan.self, .init(asOf: day("2026-12-01")))
        #expect(due.opportunityIds.count == 1 && due.quoteIds.isEmpty)
        let again = try await sales.client.call(RenewalsScan.self, .init(asOf: day("2026-12-02")))
        #expect(again.opportunityIds.isEmpty)

        let renewal = try await sales.client.call(OpportunitiesGet.self, .init(id: due.opportunityIds[0]))
        #expect(renewal.renewalOfOrderId == order.id && renewal.stage == "prospecting")
        #expect(renewal.closeDate == day("2026-12-31") && renewal.startDate == day("2027-01-01"))
        #expect(renewal.endDate == day("2027-12-31"))
        #expect(renewal.items.map(\.serviceCode) == ["seat"] && renewal.items[0].quantity == d("3"))
        #expect(renewal.items[0].unitPrice == d("50") && renewal.amount == "150.00")

        let won = try await sales.client.call(OpportunitiesSetStage.self, .init(id: renewal.id, stage: "closed_won"))
        let followOnID = try #require(won.orderId)
        let followOn = try await sales.client.call(OrdersGet.self, .init(id: followOnID))
        #expect(followOn.startDate == day("2027-01-01") && followOn.endDate == day("2027-12-31"))
        #expect(followOn.items.map(\.unitPrice) == [d("50")] && followOn.items[0].startDate == day("2027-01-01"))

        // The follow-on order renews in its turn once active.
        _ = try await sales.client.call(OrdersActivate.self, .init(id: followOn.id, activationDate: day("2027-01-01")))
        let next = try await sales.client.call(RenewalsScan.self, .init(asOf: day("2027-12-01")))
        let secondID = try #require(next.opportunityIds.first)
        let secondRenewal = try await sales.client.call(OpportunitiesGet.self, .init(id: secondID))
        #expect(secondRenewal.renewalOfOrderId == followOn.id && secondRenewal.startDate == day("2028-01-01"))
        let types = try await BillingActivity.eventTypes(tenantID: sales.tenantID).filter { $0 == "renewal.created" }
        #expect(types.count == 2)
    }

    @Test func renewalsArePricedAsTheTenantSays() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        _ = try await sales.client.call(
            SalesSettingsUpdate.self,
            .init(renewalLeadDays: 60, renewalPricing: "uplift", renewalUpliftPercent: d("3"), renewalAutoQuote: true))
        let uplifted = try await activeOrder(sales)
        // Lead 60: due from 2026-11-01. 50.00 + 3% = 51.50; 3 seats 154.50.
        let scan = try await sales.client.call(RenewalsScan.self, .init(asOf: day("2026-11-01")))
        #expect(scan.opportunityIds.count == 1 && scan.quoteIds.count == 1)
        let renewal = try await sales.client.call(OpportunitiesGet.self, .init(id: scan.opportunityIds[0]))
        #expect(renewal.renewalOfOrderId == uplifted.id && renewal.items[0].unitPrice == d("51.5"))
        #expect(renewal.amount == "154.50")
        let quote = try await sales.client.call(QuotesGet.self, .init(id: scan.quoteIds[0]))
        #expect(quote.opportunityId == renewal.id && quote.subtotal == "154.50" && quote.status == "draft")

        // List pricing takes the price book's price on the renewal's start.
        _ = try await sales.client.call(
            SalesSettingsUpdate.self, .init(renewalPricing: "list", renewalAutoQuote: false))
        _ = try await sales.client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: sales.book.id,
                prices: [
                    PriceInput(
                        productId: sales.product.id, serviceCode: "seat", unitPrice: d("60"),
                        effectiveFrom: day("2027-04-01"))
                ]))
        let listed = try await activeOrder(sales, start: "2026-04-01", end: "2027-03-31")
        let listScan = try await sales.client.call(RenewalsScan.self, .init(asOf: day("2027-03-01")))
        #expect(listScan.opportunityIds.count == 1 && listScan.quoteIds.isEmpty)
        let listedRenewal = try await sales.client.call(OpportunitiesGet.self, .init(id: listScan.opportunityIds[0]))
        #expect(listedRenewal.renewalOfOrderId == listed.id && listedRenewal.items[0].unitPrice == d("60"))
        #expect(listedRenewal.items[0].priceSource == "default_price_book" && listedRenewal.amount == "180.00")
        #expect(listedRenewal.startDate == day("2027-04-01") && listedRenewal.endDate == day("2028-03-31"))
    }
}
