/// A line item's product schedule worked out (BILLING.md §6): dated installments and the quantity
/// and revenue the line becomes, which the installments sum to exactly.
public struct ScheduledLine: Equatable, Sendable {
    /// How an entered value spreads: divided over the installments, or carried by each of them.
    public enum Mode: String, CaseIterable, Sendable {
        case divide
        case `repeat`
    }

    /// One of the two schedules of a line: quantity in hundredths, revenue in minor units.
    public struct Spread: Equatable, Sendable {
        public let mode: Mode
        public let period: ProductSchedule.Period
        public let count: Int
        public let start: CalendarDate
        /// The total to divide, or what each installment carries.
        public let value: Int64

        public init(mode: Mode, period: ProductSchedule.Period, count: Int, start: CalendarDate, value: Int64) {
            self.mode = mode
            self.period = period
            self.count = count
            self.start = start
            self.value = value
        }

        func amounts() -> [Int64] {
            switch mode {
            case .divide: ProductSchedule.divide(value, into: count)
            case .repeat: ProductSchedule.repeating(value, count: count)
            }
        }
    }

    public struct Installment: Equatable, Sendable {
        public let date: CalendarDate
        /// Hundredths of a unit, under a quantity schedule.
        public let quantity: Int64?
        /// Minor units of the currency, under a revenue schedule.
        public let revenue: Int64?
    }

    public let installments: [Installment]
    /// The line's quantity in hundredths: the quantity installments' sum, under a quantity schedule.
    public let quantity: Int64?
    /// The line's amount in minor units: the revenue installments' sum, or the revenue of the
    /// scheduled quantity.
    public let revenue: Int64

    /// Works out a schedule of `quantity`, `revenue` or both. With both, the quantity schedule comes
    /// first: `revenueOf` prices its total, which the revenue schedule (with the same dates) then
    /// divides or repeats in place of an entered value.
    public static func schedule(
        quantity: Spread?, revenue: Spread?, revenueOf: (_ hundredths: Int64) throws -> Int64
    ) throws -> ScheduledLine {
        switch (quantity, revenue) {
        case (let quantity?, nil):
            let amounts = quantity.amounts()
            let total = try Money.sum(amounts)
            return ScheduledLine(
                installments: zip(dates(quantity), amounts).map { Installment(date: $0, quantity: $1, revenue: nil) },
                quantity: total, revenue: try revenueOf(total))
        case (nil, let revenue?):
            let amounts = revenue.amounts()
            return ScheduledLine(
                installments: zip(dates(revenue), amounts).map { Installment(date: $0, quantity: nil, revenue: $1) },
                quantity: nil, revenue: try Money.sum(amounts))
        case (let quantity?, let revenue?):
            let quantities = quantity.amounts()
            let total = try Money.sum(quantities)
            let revenues = Spread(
                mode: revenue.mode, period: quantity.period, count: quantity.count, start: quantity.start,
                value: try revenueOf(total)
            ).amounts()
            let installments = zip(dates(quantity), zip(quantities, revenues)).map {
                Installment(date: $0, quantity: $1.0, revenue: $1.1)
            }
            return ScheduledLine(installments: installments, quantity: total, revenue: try Money.sum(revenues))
        case (nil, nil):
            return ScheduledLine(installments: [], quantity: nil, revenue: 0)
        }
    }

    private static func dates(_ spread: Spread) -> [CalendarDate] {
        ProductSchedule.dates(start: spread.start, period: spread.period, count: spread.count)
    }

}
