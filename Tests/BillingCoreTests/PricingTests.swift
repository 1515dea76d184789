import BillingCore
import Testing

@Suite struct PricingTests {
    private let eur = try! Currency(code: "EUR")

    private func d(_ text: String) -> Decimal6 { Decimal6(text)! }

    private func charge(_ quantity: String, _ model: PricingModel, included: String = "0") throws -> String {
        try Pricing.charge(quantity: d(quantity), model: model, includedQuantity: d(included), currency: eur)
            .description
    }

    /// BILLING.md §7, the graduated example's tiers.
    private var graduatedExample: [PriceTier] {
        [
            PriceTier(upTo: d("10"), unitPrice: d("10"), flatFee: d("2")),
            PriceTier(upTo: d("20"), unitPrice: d("5"), flatFee: d("3")),
            PriceTier(upTo: nil, unitPrice: d("5"), flatFee: d("3")),
        ]
    }

    /// BILLING.md §7, the volume example's tiers.
    private var volumeExample: [PriceTier] {
        [
            PriceTier(upTo: d("10000"), unitPrice: d("0.0010"), flatFee: d("10")),
            PriceTier(upTo: d("50000"), unitPrice: d("0.0008"), flatFee: d("10")),
            PriceTier(upTo: d("100000"), unitPrice: d("0.0006"), flatFee: d("10")),
            PriceTier(upTo: nil, unitPrice: d("0.0004"), flatFee: d("10")),
        ]
    }

    @Test func perUnit() throws {
        #expect(try charge("1000", .perUnit(unitPrice: d("0.05"))) == "50.00")
    }

    @Test func packageWithIncludedUnits() throws {
        #expect(try charge("201", .package(size: d("100"), packagePrice: d("5.00")), included: "100") == "10.00")
        #expect(try charge("100", .package(size: d("100"), packagePrice: d("5.00")), included: "100") == "0.00")
        #expect(try charge("50", .package(size: d("100"), packagePrice: d("5.00")), included: "100") == "0.00")
    }

    @Test func volume() throws {
        #expect(try charge("65000", .volume(volumeExample)) == "49.00")
        #expect(try charge("0", .volume(volumeExample)) == "0.00")
    }

    @Test(arguments: [
        ("0", "0.00"), ("1", "12.00"), ("10", "102.00"), ("11", "110.00"), ("12", "115.00"), ("21", "163.00"),
    ])
    func graduated(quantity: String, expected: String) throws {
        #expect(try charge(quantity, .graduated(graduatedExample)) == expected)
    }

    @Test func graduatedWithOneTierIsPerUnit() throws {
        for quantity in ["0", "1", "7.5", "1234.567891", "1000000"] {
            #expect(
                try charge(quantity, .graduated([PriceTier(upTo: nil, unitPrice: d("0.37"))]))
                    == charge(quantity, .perUnit(unitPrice: d("0.37")))
            )
        }
    }

    @Test func volumeAndGraduatedAgreeInsideTheFirstTier() throws {
        for quantity in ["0.5", "1", "3", "9.999999", "10"] {
            #expect(try charge(quantity, .volume(graduatedExample)) == charge(quantity, .graduated(graduatedExample)))
        }
    }

    /// The charge never goes down as the quantity goes up (non-negative prices). Volume pricing is
    /// the exception by design: 50,000 units cost 50.00 under the §7 tiers, 50,001 cost 40.00.
    @Test func chargesNeverDecreaseWithQuantity() throws {
        let models: [PricingModel] = [
            .perUnit(unitPrice: d("0.05")),
            .package(size: d("100"), packagePrice: d("5")),
            .graduated(graduatedExample),
            .graduated(volumeExample),
        ]
        for model in models {
            var previous = Int64.min
            for step in stride(from: 0, through: 120_000, by: 997) {
                let amount = try Pricing.charge(quantity: Decimal6(step), model: model, currency: eur).minorUnits
                #expect(amount >= previous, "\(model) decreases at \(step)")
                previous = amount
            }
        }
        #expect(try charge("50000", .volume(volumeExample)) == "50.00")
        #expect(try charge("50001", .volume(volumeExample)) == "40.00")
    }

    @Test func roundingHappensOnceHalfAwayFromZero() throws {
        #expect(try charge("3", .perUnit(unitPrice: d("0.335"))) == "1.01")
        #expect(try charge("1", .perUnit(unitPrice: d("0.005"))) == "0.01")
        #expect(try charge("1", .perUnit(unitPrice: d("0.004999"))) == "0.00")
        #expect(try charge("0.000001", .perUnit(unitPrice: d("0.000001"))) == "0.00")
        #expect(try Money.rounding(-35_475, fractionalDigits: 3, to: eur).description == "-35.48")
        #expect(try Money.rounding(1_200_500, fractionalDigits: 3, to: Currency(code: "JPY")).description == "1201")
        #expect(try Money.rounding(1_234_567, fractionalDigits: 6, to: Currency(code: "KWD")).description == "1.235")
        #expect(throws: MoneyOverflow.self) {
            try Pricing.charge(quantity: d("9000000000000"), model: .perUnit(unitPrice: d("9000000000")), currency: eur)
        }
    }

    @Test func tiersMustAscendAndEndOpen() {
        #expect(throws: Never.self) { try PriceTier.validate(graduatedExample) }
        let invalid: [[PriceTier]] = [
            [],
            [PriceTier(upTo: d("10"), unitPrice: d("1"))],
            [
                PriceTier(upTo: d("10"), unitPrice: d("1")), PriceTier(upTo: d("10"), unitPrice: d("1")),
                PriceTier(upTo: nil, unitPrice: d("1")),
            ],
            [
                PriceTier(upTo: d("20"), unitPrice: d("1")), PriceTier(upTo: d("10"), unitPrice: d("1")),
                PriceTier(upTo: nil, unitPrice: d("1")),
            ],
            [PriceTier(upTo: nil, unitPrice: d("1")), PriceTier(upTo: nil, unitPrice: d("1"))],
            [PriceTier(upTo: nil, unitPrice: d("-1"))],
        ]
        for tiers in invalid {
            #expect(throws: ValidationFailure.self) { try PriceTier.validate(tiers) }
        }
    }
}

@Suite struct DecimalTests {
    @Test func parsesExactlyAndPrintsShortest() {
        #expect(Decimal6("12.5")?.scaled == 12_500_000)
        #expect(Decimal6("0.000001")?.scaled == 1)
        #expect(Decimal6("-3")?.description == "-3")
        #expect(Decimal6("1000.100000")?.description == "1000.1")
        #expect(Decimal6("0.0000001") == nil)
        for bad in ["", ".5", "5.", "1e3", " 1", "1,5", "abc", "--1", "99999999999999"] {
            #expect(Decimal6(bad) == nil, "\(bad)")
        }
    }

    @Test func moneyPrintsTheCurrencysDecimals() throws {
        #expect(Money(minorUnits: 1250, currency: try Currency(code: "EUR")).description == "12.50")
        #expect(Money(minorUnits: -5, currency: try Currency(code: "EUR")).description == "-0.05")
        #expect(Money(minorUnits: 1200, currency: try Currency(code: "JPY")).description == "1200")
        #expect(Money(minorUnits: 1001, currency: try Currency(code: "KWD")).description == "1.001")
    }
}

/// A line's discount comes off its exact charge, rounded once; an uplift or discount of a price
/// scales every amount of its model.
@Suite struct PriceAdjustmentTests {
    private func d(_ text: String) -> Decimal6 { Decimal6(text)! }

    @Test func discountIsTakenBeforeTheOneRounding() throws {
        let eur = try Currency(code: "EUR")
        let terms = PriceTerms(model: .perUnit(unitPrice: d("33.33")))
        // 3 × 33.33 = 99.99; less 10% = 89.991 → 89.99.
        let charge = try Pricing.discountedCharge(
            quantity: d("3"), terms: terms, discountPercent: d("10"), currency: eur)
        #expect(charge.description == "89.99")
        // 12.5% off 0.05 is 0.04375 → 0.04, where a rounded unit price times 1 would say the same.
        let small = PriceTerms(model: .perUnit(unitPrice: d("0.05")))
        #expect(
            try Pricing.discountedCharge(quantity: d("1"), terms: small, discountPercent: d("12.5"), currency: eur)
                .description == "0.04")
        #expect(
            try Pricing.discountedCharge(quantity: d("1000"), terms: small, discountPercent: d("12.5"), currency: eur)
                .description == "43.75")
    }

    @Test func adjustmentScalesEveryAmountToSixDecimals() {
        #expect(
            PriceTerms(model: .perUnit(unitPrice: d("50"))).adjusted(byPercent: d("3")).model
                == .perUnit(unitPrice: d("51.5")))
        #expect(
            PriceTerms(model: .perUnit(unitPrice: d("33.33"))).adjusted(byPercent: d("-12.5")).model
                == .perUnit(unitPrice: d("29.16375")))
        let tiers = PriceTerms(
            model: .graduated([
                PriceTier(upTo: d("10"), unitPrice: d("10"), flatFee: d("2")),
                PriceTier(upTo: nil, unitPrice: d("5"), flatFee: d("3")),
            ]),
            includedQuantity: d("1"))
        let raised = tiers.adjusted(byPercent: d("10"))
        #expect(
            raised.model
                == .graduated([
                    PriceTier(upTo: d("10"), unitPrice: d("11"), flatFee: d("2.2")),
                    PriceTier(upTo: nil, unitPrice: d("5.5"), flatFee: d("3.3")),
                ]))
        #expect(raised.includedQuantity == d("1"))
    }
}
