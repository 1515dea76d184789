/// How a usage item's events make a billing period's quantity (BILLING.md §7): their sum, their
/// count, or the largest one (peak storage, seats in use).
public enum UsageAggregation: String, CaseIterable, Sendable {
    case sum, count, max

    /// The period's quantity from its running totals.
    public func quantity(sum: Decimal6, count: Int64, max: Decimal6) -> Decimal6 {
        switch self {
        case .sum: sum
        case .count: Decimal6(scaled: count.multipliedReportingOverflow(by: Decimal6.scale).partialValue)
        case .max: max
        }
    }
}
