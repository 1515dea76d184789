import BillingClient
import BillingCore
import BillingProtocol
import Testing

/// `tax_rates.*`: rates by country, category and validity, never two at once.
@Suite struct TaxRateTests {
    private func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func ratesChangeByEndingOneAndStartingTheNext() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let standard = try await client.call(
            TaxRatesCreate.self,
            .init(country: "FR", taxCategory: "standard", rate: d("20"), validFrom: day("2014-01-01"), name: "TVA 20 %")
        )
        #expect(standard.rate == d("20") && standard.validTo == nil && standard.priority == 0 && standard.version == 1)
        _ = try await client.call(
            TaxRatesCreate.self,
            .init(country: "FR", taxCategory: "reduced", rate: d("5.5"), validFrom: day("2014-01-01")))
        _ = try await client.call(
            TaxRatesCreate.self,
            .init(country: "FR", taxCategory: "standard", rate: d("1.5"), priority: 1, validFrom: day("2020-01-01")))

        let overlapping = await #expect(throws: RPCError.self) {
            try await client.call(
                TaxRatesCreate.self,
                .init(country: "FR", taxCategory: "standard", rate: d("21"), validFrom: day("2027-01-01")))
        }
        #expect(overlapping?.data.reason == "overlapping_rate")
        var ending = TaxRatesUpdate.Params(id: standard.id, expectedVersion: 1)
        ending.validTo = .set(day("2026-12-31"))
        let ended = try await client.call(TaxRatesUpdate.self, ending)
        #expect(ended.validTo == day("2026-12-31") && ended.version == 2)
        let next = try await client.call(
            TaxRatesCreate.self,
            .init(country: "FR", taxCategory: "standard", rate: d("21"), validFrom: day("2027-01-01")))

        let june = try await client.call(
            TaxRatesList.self, .init(country: "FR", taxCategory: "standard", on: day("2026-06-01")))
        #expect(june.items.map(\.rate) == [d("20"), d("1.5")])
        let february = try await client.call(TaxRatesList.self, .init(taxCategory: "standard", on: day("2027-02-01")))
        #expect(february.items.map(\.id).contains(next.id) && !february.items.map(\.id).contains(standard.id))
        #expect(try await client.call(TaxRatesList.self, .init()).items.count == 4)

        var reopen = TaxRatesUpdate.Params(id: standard.id)
        reopen.validTo = .set(nil)
        #expect(await rpcFailure { try await client.call(TaxRatesUpdate.self, reopen) }?.reason == "overlapping_rate")
        let refusals: [(TaxRatesCreate.Params, String)] = [
            (
                .init(country: "XX", taxCategory: "standard", rate: d("20"), validFrom: day("2014-01-01")),
                "unknown_country"
            ),
            (
                .init(country: "DE", taxCategory: "standard", rate: d("101"), validFrom: day("2014-01-01")),
                "invalid_rate"
            ),
            (
                .init(
                    country: "DE", taxCategory: "standard", rate: d("19"), priority: 10, validFrom: day("2014-01-01")),
                "invalid_priority"
            ),
            (
                .init(
                    country: "DE", taxCategory: "standard", rate: d("19"), validFrom: day("2014-01-01"),
                    validTo: day("2013-12-31")),
                "end_before_start"
            ),
        ]
        for (params, expected) in refusals {
            #expect(await rpcFailure { try await client.call(TaxRatesCreate.self, params) }?.reason == expected)
        }
        await client.close()
        try await server.stop()
    }

}
