/// An exact decimal with six fractional digits (unit prices, quantities, percentages), stored as
/// an `Int64` count of millionths. Parsed from and printed as decimal text, never binary floating point.
public struct Decimal6: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let scale: Int64 = 1_000_000

    /// The value times 10^6.
    public let scaled: Int64

    public init(scaled: Int64) {
        self.scaled = scaled
    }

    public init(_ whole: Int) {
        self.scaled = Int64(whole) * Self.scale
    }

    public static let zero = Decimal6(scaled: 0)

    /// Parses `-12.5`, `0.000001`, `1000`; more than six fractional digits, exponents, spaces or
    /// an out-of-range value are refused (nil), never rounded.
    public init?(_ text: String) {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 6, fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else {
            return nil
        }
        let padded = fraction + String(repeating: "0", count: 6 - fraction.count)
        guard let wholeValue = Int64(whole), let fractionValue = Int64(padded) else { return nil }
        let (product, overflow) = wholeValue.multipliedReportingOverflow(by: Self.scale)
        guard !overflow else { return nil }
        let (magnitude, overflowSum) = product.addingReportingOverflow(fractionValue)
        guard !overflowSum else { return nil }
        self.scaled = negative ? -magnitude : magnitude
    }

    /// The shortest exact text: `12.5`, `1000`, `0.000001`.
    public var description: String {
        let magnitude = scaled.magnitude
        let sign = scaled < 0 ? "-" : ""
        let whole = magnitude / UInt64(Self.scale)
        var fraction = magnitude % UInt64(Self.scale)
        guard fraction > 0 else { return "\(sign)\(whole)" }
        var digits = 6
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: digits - text.count))\(text)"
    }

    public static func < (lhs: Decimal6, rhs: Decimal6) -> Bool { lhs.scaled < rhs.scaled }

    public static func + (lhs: Decimal6, rhs: Decimal6) throws(MoneyOverflow) -> Decimal6 {
        let (sum, overflow) = lhs.scaled.addingReportingOverflow(rhs.scaled)
        guard !overflow else { throw MoneyOverflow() }
        return Decimal6(scaled: sum)
    }

    public static func - (lhs: Decimal6, rhs: Decimal6) throws(MoneyOverflow) -> Decimal6 {
        let (difference, overflow) = lhs.scaled.subtractingReportingOverflow(rhs.scaled)
        guard !overflow else { throw MoneyOverflow() }
        return Decimal6(scaled: difference)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// An amount left the range money is kept in (about ±9.2 × 10^18 minor units): refused, never wrapped.
public struct MoneyOverflow: Error, Sendable, Equatable {
    public init() {}
}
