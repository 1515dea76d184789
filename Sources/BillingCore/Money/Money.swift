/// An exact amount of one currency, in its minor units (cents, yen, fils).
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    /// Rounds an exact amount, given as an integer with `fractionalDigits` implied decimals (a
    /// price times a quantity has 12) and optionally divided by a positive `denominator` (the days
    /// of a full period, when prorating), to the currency's minor unit, half away from zero: the
    /// one place amounts are rounded.
    public static func rounding(
        _ amount: Int128, over denominator: Int128 = 1, fractionalDigits: Int, to currency: Currency
    ) throws(MoneyOverflow)
        -> Money
    {
        guard denominator > 0 else { throw MoneyOverflow() }
        var numerator = amount
        var divisor = denominator
        if fractionalDigits > currency.exponent {
            divisor = try checkedProduct(divisor, power10(fractionalDigits - currency.exponent))
        } else {
            numerator = try checkedProduct(numerator, power10(currency.exponent - fractionalDigits))
        }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: divisor)
        var rounded = quotient
        if remainder.magnitude * 2 >= divisor.magnitude { rounded += numerator < 0 ? -1 : 1 }
        guard let minorUnits = Int64(exactly: rounded) else { throw MoneyOverflow() }
        return Money(minorUnits: minorUnits, currency: currency)
    }

    static func checkedProduct(_ lhs: Int128, _ rhs: Int128) throws(MoneyOverflow) -> Int128 {
        let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
        guard !overflow else { throw MoneyOverflow() }
        return product
    }

    /// The amount with exactly the currency's decimals, as the wire shows it: `12.50`, JPY `1200`.
    public var description: String {
        guard currency.exponent > 0 else { return String(minorUnits) }
        let scale = UInt64(Self.power10(currency.exponent))
        let magnitude = minorUnits.magnitude
        var fraction = String(magnitude % scale)
        fraction = String(repeating: "0", count: currency.exponent - fraction.count) + fraction
        return "\(minorUnits < 0 ? "-" : "")\(magnitude / scale).\(fraction)"
    }

    static func power10(_ exponent: Int) -> Int128 {
        (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 }
    }
}

extension Money {
    /// Parses an amount written with at most the currency's decimals (`12.5`, `-3.75`, JPY `1200`);
    /// nil for anything else, never rounded.
    public init?(_ text: String, currency: Currency) {
        guard let value = Decimal6(text), value.scaled % Int64(Money.power10(6 - currency.exponent)) == 0 else {
            return nil
        }
        self.init(minorUnits: value.scaled / Int64(Money.power10(6 - currency.exponent)), currency: currency)
    }
}

extension Money {
    /// `lhs + rhs` in minor units, refusing to overflow: how amounts are added everywhere.
    public static func adding(_ lhs: Int64, _ rhs: Int64) throws(MoneyOverflow) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard !overflow else { throw MoneyOverflow() }
        return sum
    }

    /// The sum of amounts in minor units, refusing to overflow.
    public static func sum(_ values: [Int64]) throws(MoneyOverflow) -> Int64 {
        var total: Int64 = 0
        for value in values { total = try adding(total, value) }
        return total
    }
}
