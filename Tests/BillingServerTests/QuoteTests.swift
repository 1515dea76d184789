import BillingClient
import BillingCore
import BillingProtocol
import TestSupport
import Testing

/// Quotes over the wire: a frozen snapshot of an opportunity with its estimated tax; accepting
/// one makes the order once.
@Suite struct QuoteTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    func withFrenchVAT(_ sales: SalesFixture) async throws {
        _ = try await sales.client.call(
            TaxRatesCreate.self,
            .init(country: "FR", taxCategory: "standard", rate: d("20"), validFrom: day("2020-01-01")))
    }

    @Test func aQuoteSnapshotsLinesTotalsAndTax() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        try await withFrenchVAT(sales)
        // 2 seats at 50.00 less 10% = 90.00 and a setup at 99.50: 189.50, VAT 20% → 37.90, 227.40.
        let opportunity = try await sales.opportunity([sales.seat("2", discount: "10"), sales.setup("1")])
        let quote = try await sales.client.call(
            QuotesCreate.self, .init(opportunityId: opportunity.id, expiresOn: day("2099-01-31")))
        #expect(quote.status == "draft" && quote.expiresOn == day("2099-01-31") && quote.taxDate == day("2026-01-01"))
        #expect(quote.lines.map(\.amount) == ["90.00", "99.50"])
        #expect(quote.lines.map(\.description) == ["SaaS – Seat", "SaaS – Setup"])
        #expect(quote.lines.map(\.discountPercent) == [d("10"), d("0")])
        #expect(quote.subtotal == "189.50" && quote.taxTotal == "37.90" && quote.total == "227.40")
        #expect(
            quote.taxBreakdown == [
                TaxBreakdownRow(category: "standard", rate: d("20"), base: "189.50", amount: "37.90")
            ])

        // Changing the opportunity leaves the quote as it was.
        var change = OpportunitiesUpdate.Params(id: opportunity.id)
        change.items = [sales.seat("7")]
        _ = try await sales.client.call(OpportunitiesUpdate.self, change)
        #expect(try await sales.client.call(QuotesGet.self, .init(id: quote.id)) == quote)
        let second = try await sales.client.call(QuotesCreate.self, .init(opportunityId: opportunity.id))
        // 7 × 50.00 = 350.00, VAT 70.00; valid 30 days by default.
        #expect(second.total == "420.00" && second.lines.count == 1)
        let list = try await sales.client.call(QuotesList.self, .init(opportunityId: opportunity.id))
        #expect(list.items.map(\.id) == [quote.id, second.id])
        let past = await rpcFailure {
            try await sales.client.call(
                QuotesCreate.self, .init(opportunityId: opportunity.id, expiresOn: day("2020-01-01")))
        }
        #expect(past?.reason == "expiry_in_past")
    }

    @Test func acceptingMakesTheOrderOnceAndWinsTheOpportunity() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        try await withFrenchVAT(sales)
        let opportunity = try await sales.opportunity([sales.seat("2", discount: "10"), sales.setup("1")])
        let quote = try await sales.client.call(QuotesCreate.self, .init(opportunityId: opportunity.id))
        let other = try await sales.client.call(QuotesCreate.self, .init(opportunityId: opportunity.id))
        let sent = try await sales.client.call(QuotesSend.self, .init(id: quote.id))
        #expect(sent.status == "sent" && sent.sentAt != nil)

        let accepted = try await sales.client.call(QuotesAccept.self, .init(id: quote.id))
        let orderID = try #require(accepted.orderId)
        #expect(accepted.status == "accepted" && accepted.decidedAt != nil)
        let again = try await sales.client.call(QuotesAccept.self, .init(id: quote.id))
        #expect(again.orderId == orderID && again.version == accepted.version)
        let won = try await sales.client.call(OpportunitiesGet.self, .init(id: opportunity.id))
        #expect(won.stage == "closed_won" && won.orderId == orderID)
        let orders = try await sales.orders()
        #expect(orders.map(\.id) == [orderID])
        #expect(orders[0].items.map(\.unitPrice) == [d("45"), d("99.5")])

        let secondAccept = await rpcFailure { try await sales.client.call(QuotesAccept.self, .init(id: other.id)) }
        #expect(secondAccept?.reason == "opportunity_has_order")
        let rejectAccepted = await rpcFailure { try await sales.client.call(QuotesReject.self, .init(id: quote.id)) }
        #expect(rejectAccepted?.reason == "quote_accepted")
        let rejected = try await sales.client.call(
            QuotesReject.self, .init(id: other.id, reason: "went with the first"))
        #expect(rejected.status == "rejected" && rejected.rejectionReason == "went with the first")
        let closed = await rpcFailure {
            try await sales.client.call(QuotesCreate.self, .init(opportunityId: opportunity.id))
        }
        #expect(closed?.reason == "opportunity_closed")

        let types = try await BillingActivity.eventTypes(tenantID: sales.tenantID).filter { $0.hasPrefix("quote.") }
        #expect(types == ["quote.created", "quote.created", "quote.sent", "quote.accepted", "quote.rejected"])
    }
}
