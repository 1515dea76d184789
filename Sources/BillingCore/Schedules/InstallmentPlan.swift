/// Splits a total into installments by percentages (BILLING.md §5): each but the last is
/// `round(total × pct / 100)`, the last is what remains, so the plan sums to the total exactly.
public enum InstallmentPlan {
    /// Percentages must be positive and sum to exactly 100 (`percentages_not_100`).
    public static func validate(_ percentages: [Decimal6], field: String = "plan") throws(ValidationFailure) {
        guard !percentages.isEmpty, percentages.allSatisfy({ $0 > .zero }) else {
            throw ValidationFailure(
                reason: "invalid_plan", field: field, message: "a plan has one or more positive percentages")
        }
        let sum = percentages.reduce(Int64(0)) { $0 + $1.scaled }
        guard sum == 100 * Decimal6.scale else {
            throw ValidationFailure(
                reason: "percentages_not_100", field: field,
                message: "the plan's percentages sum to \(Decimal6(scaled: sum)), not 100")
        }
    }

    public static func split(_ total: Money, by percentages: [Decimal6]) throws(MoneyOverflow) -> [Money] {
        guard let last = percentages.indices.last else { return [] }
        var amounts: [Money] = []
        var allocated: Int64 = 0
        for percentage in percentages[..<last] {
            // Minor units × a percentage with 6 decimals, over 100: minor units with 8 implied decimals.
            let share = try Money.rounding(
                Int128(total.minorUnits) * Int128(percentage.scaled), fractionalDigits: 8 + total.currency.exponent,
                to: total.currency)
            amounts.append(share)
            let (sum, overflow) = allocated.addingReportingOverflow(share.minorUnits)
            guard !overflow else { throw MoneyOverflow() }
            allocated = sum
        }
        let (rest, overflow) = total.minorUnits.subtractingReportingOverflow(allocated)
        guard !overflow else { throw MoneyOverflow() }
        amounts.append(Money(minorUnits: rest, currency: total.currency))
        return amounts
    }
}
