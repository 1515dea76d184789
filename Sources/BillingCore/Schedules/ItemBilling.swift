/// The billing transactions an activated order item produces (BILLING.md §1–5): pure functions of
/// the item, its billing process and dates.
public enum ItemBilling {
    /// One transaction per period starting on or before `horizon` (every period, for an item
    /// that ends by then), each `fullPeriod`'s share for its days, dated by `timing`.
    public static func recurring(
        _ schedule: RecurringSchedule, timing: BillingTiming, fullPeriod: Int128, currency: Currency,
        through horizon: CalendarDate
    ) throws(MoneyOverflow) -> [PlannedTransaction] {
        var planned: [PlannedTransaction] = []
        for period in schedule.periods(startingThrough: horizon) {
            planned.append(try transaction(for: period, timing: timing, fullPeriod: fullPeriod, currency: currency))
        }
        return planned
    }

    /// The transaction of one period.
    public static func transaction(
        for period: BillingPeriod, timing: BillingTiming, fullPeriod: Int128, currency: Currency
    ) throws(MoneyOverflow) -> PlannedTransaction {
        PlannedTransaction(
            key: "period:\(period.start)", kind: "recurring", billingDate: period.billingDate(timing),
            periodStart: period.start, periodEnd: period.end,
            amount: try period.charge(fullPeriod: fullPeriod, currency: currency))
    }

    /// A one-time item: one transaction of the whole charge on `date` (BILLING.md §4).
    public static func oneTime(_ amount: Money, on date: CalendarDate) -> PlannedTransaction {
        PlannedTransaction(
            key: "one_time", kind: "one_time", billingDate: date, periodStart: date, periodEnd: date, amount: amount)
    }

    /// An installment plan: the total split by the steps' percentages (BILLING.md §5), each dated
    /// by its offset from `activation`, or waiting for its milestone.
    public static func installments(
        _ total: Money, steps: [InstallmentStep], activatedOn activation: CalendarDate
    ) throws(MoneyOverflow) -> [PlannedTransaction] {
        let amounts = try InstallmentPlan.split(total, by: steps.map(\.percent))
        return zip(steps, amounts).enumerated().map { index, pair in
            let (step, amount) = pair
            var date: CalendarDate?
            var milestone: String?
            switch step.due {
            case .days(let days): date = activation.adding(days: days)
            case .months(let months): date = activation.dayOfMonth(activation.day, monthsLater: months)
            case .milestone(let name): milestone = name
            }
            return PlannedTransaction(
                key: "installment:\(index + 1)", kind: "installment", billingDate: date, periodStart: nil,
                periodEnd: nil, amount: amount, milestone: milestone)
        }
    }

    /// The credit for the unused days of an already billed period when its item ends on `end`
    /// inside it (BILLING.md §3): negative, dated on the termination date; nil when no day is unused.
    public static func terminationCredit(
        for period: BillingPeriod, endingOn end: CalendarDate, fullPeriod: Int128, currency: Currency
    ) throws(MoneyOverflow) -> PlannedTransaction? {
        guard end < period.end, end >= period.start, let firstUnused = end.adding(days: 1) else { return nil }
        let unused = BillingPeriod(
            start: firstUnused, end: period.end, fullStart: period.fullStart, fullEnd: period.fullEnd)
        let credit = try unused.charge(fullPeriod: fullPeriod, currency: currency)
        return PlannedTransaction(
            key: "credit:\(period.start)", kind: "credit", billingDate: end, periodStart: unused.start,
            periodEnd: unused.end, amount: Money(minorUnits: -credit.minorUnits, currency: currency))
    }
}
