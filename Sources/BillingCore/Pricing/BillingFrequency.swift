/// How often a recurring price recurs (BILLING.md §1); a recurring price is the price of one
/// period of this length.
public enum BillingFrequency: String, CaseIterable, Sendable {
    case monthly, quarterly, semiannual, annual

    public var months: Int {
        switch self {
        case .monthly: 1
        case .quarterly: 3
        case .semiannual: 6
        case .annual: 12
        }
    }
}
