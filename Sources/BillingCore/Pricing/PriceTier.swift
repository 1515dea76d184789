/// One tier of a volume or graduated price: units up to `upTo` (inclusive; nil = no upper bound)
/// cost `unitPrice` each, and the tier adds `flatFee` once.
public struct PriceTier: Hashable, Sendable {
    public let upTo: Decimal6?
    public let unitPrice: Decimal6
    public let flatFee: Decimal6

    public init(upTo: Decimal6?, unitPrice: Decimal6, flatFee: Decimal6 = .zero) {
        self.upTo = upTo
        self.unitPrice = unitPrice
        self.flatFee = flatFee
    }

    /// Tiers must have ascending bounds and end with an open one; each starts right after the
    /// previous bound, so there can be no gap or overlap.
    public static func validate(_ tiers: [PriceTier], field: String = "tiers") throws(ValidationFailure) {
        func refuse(_ why: String) -> ValidationFailure {
            ValidationFailure(reason: "invalid_tiers", field: field, message: "tiers: \(why)")
        }
        guard let last = tiers.last else { throw refuse("at least one tier is needed") }
        guard last.upTo == nil else { throw refuse("the last tier must have up_to null (no upper bound)") }
        var previous = Decimal6.zero
        for tier in tiers.dropLast() {
            guard let bound = tier.upTo else { throw refuse("only the last tier may have no upper bound") }
            guard bound > previous else { throw refuse("up_to bounds must ascend, each above the one before") }
            previous = bound
        }
        guard tiers.allSatisfy({ $0.unitPrice >= .zero && $0.flatFee >= .zero }) else {
            throw refuse("prices and flat fees cannot be negative")
        }
    }
}
