import BillingCore
import Testing

/// Issue 15, money arithmetic and rounding as properties over random values: each failure names
/// the values it failed for.
@Suite struct MoneyPropertyTests {
    /// Two, zero and three decimals.
    static func currencies() throws -> [Currency] {
        try ["EUR", "JPY", "KWD"].map { try Currency(code: $0) }
    }

    static func power10(_ exponent: Int) -> Int128 {
        (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 }
    }

    /// A value of every magnitude: small, typical amounts and near the ends of Int64.
    static func anyScaled(using generator: inout SystemRandomNumberGenerator) -> Int64 {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: Int64.random(in: -1_000...1_000, using: &generator)
        case 1: Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator)
        case 2: Int64.random(in: .min ... .max, using: &generator)
        default: Int64.random(in: (.max - 1_000)...(.max), using: &generator) * (Bool.random() ? 1 : -1)
        }
    }

    @Test func decimalsPrintAndParseBackToTheSameValue() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let value = Decimal6(scaled: Self.anyScaled(using: &generator))
            let text = value.description
            #expect(Decimal6(text) == value, "\(value.scaled) printed \(text)")
            let fraction = text.split(separator: ".").dropFirst().first ?? ""
            #expect(fraction.count <= 6 && !fraction.hasSuffix("0"), "\(text)")
        }
    }

    @Test func decimalTextIsReadExactlyOrRefused() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let whole = String(UInt64.random(in: 0...UInt64(Int64.max) / 100_000, using: &generator))
            let digits = Int.random(in: 0...8, using: &generator)
            let fraction = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            let negative = Bool.random(using: &generator)
            let text = (negative ? "-" : "") + whole + (digits > 0 ? "." + fraction : "")
            guard digits <= 6 else {
                #expect(Decimal6(text) == nil, "\(text) has more than six decimals")
                continue
            }
            // The value worked out digit by digit, independently of the parser.
            var expected = Int128(0)
            for digit in (whole + fraction.padding(toLength: 6, withPad: "0", startingAt: 0)).utf8 {
                expected = expected * 10 + Int128(digit - 48)
            }
            if negative { expected = -expected }
            #expect(
                Decimal6(text).map { Int128($0.scaled) } == (Int64(exactly: expected) != nil ? expected : nil),
                "\(text)")
        }
    }

    @Test func roundingIsWithinHalfAMinorUnitTiesAwayFromZeroAndSymmetric() throws {
        var generator = SystemRandomNumberGenerator()
        let currencies = try Self.currencies()
        for _ in 0..<100_000 {
            let currency = try #require(currencies.randomElement(using: &generator))
            let amount = Int128(Int64.random(in: -1_000_000_000_000_000...1_000_000_000_000_000, using: &generator))
            let denominator = Int128(Int.random(in: 1...366, using: &generator))
            let digits = Int.random(in: 0...12, using: &generator)
            let rounded = try Money.rounding(amount, over: denominator, fractionalDigits: digits, to: currency)
            // Compare amount / (denominator × 10^digits) with minor units / 10^exponent on one scale.
            let exact = amount * Self.power10(max(currency.exponent - digits, 0))
            let divisor = denominator * Self.power10(max(digits - currency.exponent, 0))
            let error = Int128(rounded.minorUnits) * divisor - exact
            #expect(error.magnitude * 2 <= divisor.magnitude, "\(amount)/\(denominator) e-\(digits) → \(rounded)")
            if error.magnitude * 2 == divisor.magnitude {
                // A tie goes away from zero.
                #expect((rounded.minorUnits < 0) == (amount < 0) && error.signum() == amount.signum())
            }
            let negated = try Money.rounding(-amount, over: denominator, fractionalDigits: digits, to: currency)
            #expect(negated.minorUnits == -rounded.minorUnits, "\(amount)/\(denominator) e-\(digits)")
        }
    }

    @Test func roundingNeverDecreasesAsTheAmountGrows() throws {
        var generator = SystemRandomNumberGenerator()
        let euro = try Currency(code: "EUR")
        for _ in 0..<50_000 {
            let low = Int128(Int64.random(in: -10_000_000_000...10_000_000_000, using: &generator))
            let high = low + Int128(Int.random(in: 0...1_000_000, using: &generator))
            let days = Int128(Int.random(in: 28...31, using: &generator))
            let first = try Money.rounding(low, over: days, fractionalDigits: 6, to: euro)
            let second = try Money.rounding(high, over: days, fractionalDigits: 6, to: euro)
            #expect(first.minorUnits <= second.minorUnits, "\(low) and \(high) over \(days)")
        }
    }

    @Test func sumsAreExactOrRefusedNeverWrapped() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let values = (0..<Int.random(in: 0...20, using: &generator)).map { _ in
                Self.anyScaled(using: &generator)
            }
            // Every prefix must stay in range for the checked sum to succeed.
            var running = Int128(0)
            var inRange = true
            for value in values {
                running += Int128(value)
                if Int64(exactly: running) == nil { inRange = false }
            }
            let sum = try? Money.sum(values)
            #expect(sum.map { Int128($0) } == (inRange ? running : nil), "\(values)")
        }
    }

    @Test func installmentsAlwaysAddUpToTheTotalEachWithinAMinorUnitOfItsShare() throws {
        var generator = SystemRandomNumberGenerator()
        let currencies = try Self.currencies()
        for _ in 0..<20_000 {
            let currency = try #require(currencies.randomElement(using: &generator))
            let total = Money(
                minorUnits: Int64.random(in: -10_000_000_000...10_000_000_000, using: &generator), currency: currency)
            // Random positive percentages with up to six decimals that sum to exactly 100.
            let count = Int.random(in: 1...12, using: &generator)
            var cuts = (0..<count - 1).map { _ in Int64.random(in: 1..<100_000_000, using: &generator) }
            cuts = Array(Set(cuts)).sorted()
            let bounds = [0] + cuts + [100_000_000]
            let percentages = zip(bounds, bounds.dropFirst()).map { Decimal6(scaled: $1 - $0) }
            try InstallmentPlan.validate(percentages)
            let parts = try InstallmentPlan.split(total, by: percentages)
            #expect(parts.count == percentages.count)
            #expect(try Money.sum(parts.map(\.minorUnits)) == total.minorUnits, "\(total) by \(percentages)")
            for (part, percentage) in zip(parts.dropLast(), percentages) {
                // |part − total × pct / 100| ≤ half a minor unit, on a scale of 10^-8.
                let exact = Int128(total.minorUnits) * Int128(percentage.scaled)
                let error = Int128(part.minorUnits) * 100_000_000 - exact
                #expect(error.magnitude * 2 <= 100_000_000, "\(total) × \(percentage)% → \(part)")
            }
        }
    }

    @Test func taxIsTheRoundedRateOfEachGroupsSummedNet() throws {
        var generator = SystemRandomNumberGenerator()
        let euro = try Currency(code: "EUR")
        let rates = [
            TaxCalculation.Rate(category: "standard", percent: Decimal6("20")!, priority: 0),
            TaxCalculation.Rate(category: "reduced", percent: Decimal6("5.5")!, priority: 0),
            TaxCalculation.Rate(category: "local", percent: Decimal6("2.125")!, priority: 1),
        ]
        for _ in 0..<5_000 {
            let lines = (0..<Int.random(in: 1...30, using: &generator)).map { _ in
                TaxCalculation.Line(
                    net: Money(minorUnits: Int64.random(in: -100_000...10_000_000, using: &generator), currency: euro),
                    rates: [[], [rates[0]], [rates[1]], [rates[0], rates[2]]][Int.random(in: 0...3, using: &generator)])
            }
            let rows = try TaxCalculation.breakdown(lines, currency: euro)
            let taxed = lines.filter { !$0.rates.isEmpty }
            // Every taxed net counts once in the bases of the lowest priority.
            #expect(
                rows.filter { $0.priority == 0 }.reduce(Int64(0)) { $0 + $1.base.minorUnits }
                    == taxed.reduce(Int64(0)) { $0 + $1.net.minorUnits })
            for row in rows {
                let exact = Int128(row.base.minorUnits) * Int128(row.percent.scaled)
                let error = Int128(row.amount.minorUnits) * 100_000_000 - exact
                #expect(error.magnitude * 2 <= 100_000_000, "\(row)")
            }
            // The compound rate's base is its group's net plus that group's standard tax.
            let compound = lines.filter { $0.rates.count == 2 }.reduce(Int64(0)) { $0 + $1.net.minorUnits }
            if let local = rows.first(where: { $0.category == "local" }),
                let standard = rows.first(where: { $0.category == "standard" && $0.base.minorUnits == compound })
            {
                #expect(local.base.minorUnits == compound + standard.amount.minorUnits)
            }
        }
    }

    @Test func amountsPrintWithTheCurrencysDecimalsAndParseBack() throws {
        var generator = SystemRandomNumberGenerator()
        let currencies = try Self.currencies()
        for _ in 0..<50_000 {
            let currency = try #require(currencies.randomElement(using: &generator))
            let limit = Int64.max / 1_000_000
            let money = Money(minorUnits: Int64.random(in: -limit...limit, using: &generator), currency: currency)
            let text = money.description
            #expect(text.split(separator: ".").dropFirst().first?.count ?? 0 == currency.exponent, "\(text)")
            #expect(Money(text, currency: currency) == money, "\(text)")
        }
    }
}
