import BillingCore
import Testing

/// BILLING.md §8, every example.
@Suite struct TaxCalculationTests {
    private let eur = try! Currency(code: "EUR")
    private func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    private func money(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: eur) }

    @Test func taxIsRoundedPerRateOnTheSumOfLines() throws {
        let standard = TaxCalculation.Rate(category: "standard", percent: d("20"))
        let reduced = TaxCalculation.Rate(category: "reduced", percent: d("5.5"))
        let rows = try TaxCalculation.breakdown(
            [
                .init(net: money(10_000), rates: [standard]), .init(net: money(3_333), rates: [standard]),
                .init(net: money(5_000), rates: [reduced]),
            ],
            currency: eur)
        // 133.33 × 20% = 26.666 → 26.67; 50.00 × 5.5% = 2.75; total 29.42 (line by line would give 26.67 too,
        // but 3 × 33.33 at 20% shows the difference below).
        #expect(
            rows.map { "\($0.category) \($0.percent) \($0.base) \($0.amount)" } == [
                "reduced 5.5 50.00 2.75", "standard 20 133.33 26.67",
            ])
        #expect(rows.reduce(0) { $0 + $1.amount.minorUnits } == 2942)
        let perInvoice = try TaxCalculation.breakdown(
            Array(repeating: TaxCalculation.Line(net: money(1_001), rates: [standard]), count: 3), currency: eur)
        // 30.03 × 20% = 6.006 → 6.01 once, not 3 × round(2.002) = 6.00.
        #expect(perInvoice.map(\.amount.minorUnits) == [601])
    }

    @Test func compoundRatesTaxTheLowerTaxesToo() throws {
        let rows = try TaxCalculation.breakdown(
            [
                .init(
                    net: Money(minorUnits: 500_000, currency: eur),
                    rates: [
                        TaxCalculation.Rate(category: "state", percent: d("15")),
                        TaxCalculation.Rate(category: "federal", percent: d("20"), priority: 1),
                    ])
            ],
            currency: eur)
        // 5,000 × 15% = 750; (5,000 + 750) × 20% = 1,150; 1,900 in all.
        #expect(
            rows.map { "\($0.category) \($0.base) \($0.amount)" } == [
                "state 5000.00 750.00", "federal 5750.00 1150.00",
            ])
        #expect(rows.reduce(0) { $0 + $1.amount.minorUnits } == 190_000)
    }

    @Test func exemptAndReverseChargeBuyers() throws {
        let france = try CountryCode("FR")
        let germany = try CountryCode("DE")
        #expect(
            TaxTreatment.decide(
                seller: france, buyerCountry: germany, buyerVATNumber: "DE123456789", exempt: false,
                exemptionReason: nil)
                == .reverseCharge)
        #expect(TaxTreatment.reverseCharge.mention == "Reverse charge")
        // Same country, no VAT number, or outside the EU: the buyer's country's rates.
        #expect(
            TaxTreatment.decide(
                seller: france, buyerCountry: france, buyerVATNumber: "FR123", exempt: false, exemptionReason: nil)
                == .standard(country: france))
        #expect(
            TaxTreatment.decide(
                seller: france, buyerCountry: germany, buyerVATNumber: nil, exempt: false, exemptionReason: nil)
                == .standard(country: germany))
        let swiss = try CountryCode("CH")
        #expect(
            TaxTreatment.decide(
                seller: france, buyerCountry: swiss, buyerVATNumber: "CHE-1", exempt: false, exemptionReason: nil)
                == .standard(country: swiss))
        let exempt = TaxTreatment.decide(
            seller: france, buyerCountry: germany, buyerVATNumber: "DE1", exempt: true,
            exemptionReason: "Article 261 D du CGI")
        #expect(exempt == .exempt(reason: "Article 261 D du CGI") && exempt.mention == "Article 261 D du CGI")
        #expect(
            TaxTreatment.decide(
                seller: france, buyerCountry: nil, buyerVATNumber: nil, exempt: false, exemptionReason: nil)
                == .standard(country: france))
    }
}
