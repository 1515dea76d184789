/// The tax of one invoice (BILLING.md §8): lines are grouped by the rates that apply to them, and
/// each rate taxes its group's summed net once, `round(sum × rate)`, never line by line. Compound
/// rates (higher priority) tax the net plus the lower priorities' taxes of the same group.
public enum TaxCalculation {
    /// One net line with the rates that apply to it (one, or several when compound).
    public struct Line: Hashable, Sendable {
        public let net: Money
        public let rates: [Rate]

        public init(net: Money, rates: [Rate]) {
            self.net = net
            self.rates = rates
        }
    }

    /// One row of the invoice's tax breakdown.
    public struct Breakdown: Hashable, Sendable {
        public let category: String
        public let percent: Decimal6
        public let priority: Int
        /// What the rate applied to: the group's net, plus lower priorities' taxes for a compound rate.
        public let base: Money
        public let amount: Money
    }

    /// The breakdown, ordered by priority, category and rate; lines without rates are not taxed.
    public static func breakdown(_ lines: [Line], currency: Currency) throws(MoneyOverflow) -> [Breakdown] {
        var groups: [[Rate]: Int64] = [:]
        for line in lines where !line.rates.isEmpty {
            let rates = line.rates.sorted {
                ($0.priority, $0.category, $0.percent) < ($1.priority, $1.category, $1.percent)
            }
            groups[rates] = try Money.adding(groups[rates] ?? 0, line.net.minorUnits)
        }
        var rows: [Breakdown] = []
        for (rates, net) in groups {
            var lowerTaxes: Int64 = 0
            var taxesOfThisPriority: Int64 = 0
            var priority = rates.first?.priority ?? 0
            for rate in rates {
                if rate.priority != priority {
                    lowerTaxes = try Money.adding(lowerTaxes, taxesOfThisPriority)
                    taxesOfThisPriority = 0
                    priority = rate.priority
                }
                let base = try Money.adding(net, lowerTaxes)
                let tax = try Money.rounding(
                    Int128(base) * Int128(rate.percent.scaled), fractionalDigits: 8 + currency.exponent, to: currency)
                taxesOfThisPriority = try Money.adding(taxesOfThisPriority, tax.minorUnits)
                rows.append(
                    Breakdown(
                        category: rate.category, percent: rate.percent, priority: rate.priority,
                        base: Money(minorUnits: base, currency: currency), amount: tax))
            }
        }
        return rows.sorted {
            ($0.priority, $0.category, $0.percent.scaled, $0.base.minorUnits)
                < ($1.priority, $1.category, $1.percent.scaled, $1.base.minorUnits)
        }
    }

}
