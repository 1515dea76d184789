/// Sums of money per currency, as a run or a report adds up documents of several currencies;
/// an overflow is refused, never wrapped.
public struct MoneyTotals: Sendable, Equatable {
    public private(set) var byCurrency: [String: Money] = [:]

    public init() {}

    public mutating func add(_ money: Money) throws(MoneyOverflow) {
        let current = byCurrency[money.currency.code]?.minorUnits ?? 0
        let (sum, overflow) = current.addingReportingOverflow(money.minorUnits)
        guard !overflow else { throw MoneyOverflow() }
        byCurrency[money.currency.code] = Money(minorUnits: sum, currency: money.currency)
    }
}
