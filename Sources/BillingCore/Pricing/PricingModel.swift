/// How a quantity is priced (BILLING.md §7).
public enum PricingModel: Hashable, Sendable {
    /// Every unit at one price.
    case perUnit(unitPrice: Decimal6)
    /// Whole packages of `size` units, each at `packagePrice`; a started package counts in full.
    case package(size: Decimal6, packagePrice: Decimal6)
    /// All units at the price of the tier the total falls in, plus that tier's flat fee.
    case volume([PriceTier])
    /// Each unit at the price of its own tier, plus the flat fee of every tier a unit reaches.
    case graduated([PriceTier])
}

extension PricingModel {
    /// The model's name as products and prices spell it.
    public var name: String {
        switch self {
        case .perUnit: "per_unit"
        case .package: "package"
        case .volume: "volume"
        case .graduated: "graduated"
        }
    }

    /// The price of a unit (per unit) or of a whole package (package); nil for tiered models.
    public var unitPrice: Decimal6? {
        switch self {
        case .perUnit(let price), .package(_, let price): price
        case .volume, .graduated: nil
        }
    }

    public var packageSize: Decimal6? {
        if case .package(let size, _) = self { size } else { nil }
    }

    public var tiers: [PriceTier]? {
        switch self {
        case .volume(let tiers), .graduated(let tiers): tiers
        case .perUnit, .package: nil
        }
    }
}
