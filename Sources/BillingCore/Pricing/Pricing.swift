/// Prices a quantity: the one pure function every order line, usage rating and quote uses.
///
/// The included quantity is subtracted first (never below zero). Everything is computed exactly
/// (a six-digit price times a six-digit quantity has twelve decimals) and rounded once, at the end.
public enum Pricing {
    public static func charge(
        quantity: Decimal6,
        model: PricingModel,
        includedQuantity: Decimal6 = .zero,
        currency: Currency
    ) throws(MoneyOverflow) -> Money {
        try Money.rounding(
            exactCharge(quantity: quantity, model: model, includedQuantity: includedQuantity), fractionalDigits: 12,
            to: currency)
    }

    /// The charge less a discount of `discountPercent` (0–100), rounded once at the end: 3 units
    /// of 33.33 less 10% is round(99.99 × 0.9) = 89.99.
    public static func discountedCharge(
        quantity: Decimal6, terms: PriceTerms, discountPercent: Decimal6, currency: Currency
    ) throws(MoneyOverflow) -> Money {
        let hundred = Int128(100 * Decimal6.scale)
        let exact = exactCharge(quantity: quantity, model: terms.model, includedQuantity: terms.includedQuantity)
        return try Money.rounding(
            try Money.checkedProduct(exact, hundred - Int128(discountPercent.scaled)), over: hundred,
            fractionalDigits: 12, to: currency)
    }

    /// The charge before rounding, with twelve implied decimals: what a prorated period takes its
    /// share of before the one rounding.
    public static func exactCharge(
        quantity: Decimal6, model: PricingModel, includedQuantity: Decimal6 = .zero
    ) -> Int128 {
        exactAmount(billable: max(Int128(quantity.scaled) - Int128(includedQuantity.scaled), 0), model: model)
    }

    /// The exact amount, with twelve implied decimals, for `billable` millionths of a unit.
    static func exactAmount(billable: Int128, model: PricingModel) -> Int128 {
        let scale = Int128(Decimal6.scale)
        switch model {
        case .perUnit(let unitPrice):
            return billable * Int128(unitPrice.scaled)
        case .package(let size, let packagePrice):
            guard size.scaled > 0, billable > 0 else { return 0 }
            let sizeScaled = Int128(size.scaled)
            let packages = (billable + sizeScaled - 1) / sizeScaled
            return packages * Int128(packagePrice.scaled) * scale
        case .volume(let tiers):
            guard billable > 0, let tier = tiers.first(where: { $0.upTo.map { billable <= Int128($0.scaled) } ?? true })
            else { return 0 }
            return billable * Int128(tier.unitPrice.scaled) + Int128(tier.flatFee.scaled) * scale
        case .graduated(let tiers):
            var amount: Int128 = 0
            var lowerBound: Int128 = 0
            for tier in tiers where billable > lowerBound {
                let upper = tier.upTo.map { min(billable, Int128($0.scaled)) } ?? billable
                amount += (upper - lowerBound) * Int128(tier.unitPrice.scaled) + Int128(tier.flatFee.scaled) * scale
                lowerBound = upper
            }
            return amount
        }
    }
}
