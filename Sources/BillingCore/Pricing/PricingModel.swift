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
