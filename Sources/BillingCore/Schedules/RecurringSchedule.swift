/// The periods of a recurring item (BILLING.md §1): boundaries fall on the billing day (clamped
/// to short months, never sticking), every 1, 3, 6 or 12 months from the first one on or after
/// the start; a start before the first boundary gives a stub; an end date cuts the last period.
public struct RecurringSchedule: Hashable, Sendable {
    public let start: CalendarDate
    /// The last day billed, if the item ends.
    public let end: CalendarDate?
    /// 1–31.
    public let billingDay: Int
    public let frequency: BillingFrequency

    public init(start: CalendarDate, end: CalendarDate?, billingDay: Int, frequency: BillingFrequency) {
        self.start = start
        self.end = end
        self.billingDay = min(max(billingDay, 1), 31)
        self.frequency = frequency
    }

    /// The months after the start's month where boundary number 0 falls (0 or 1).
    private var firstBoundaryMonth: Int {
        guard let sameMonth = start.dayOfMonth(billingDay, monthsLater: 0), sameMonth >= start else { return 1 }
        return 0
    }

    /// Boundary number `index` (negative: before the first).
    public func boundary(_ index: Int) -> CalendarDate? {
        start.dayOfMonth(billingDay, monthsLater: firstBoundaryMonth + index * frequency.months)
    }

    /// Every period that starts on or before `horizon`, in order, cut at the end date. An item
    /// with an end date on or before the horizon gets all of its periods.
    public func periods(startingThrough horizon: CalendarDate) -> [BillingPeriod] {
        let last = end.map { min($0, horizon) } ?? horizon
        guard start <= last, let first = boundary(0) else { return [] }
        var periods: [BillingPeriod] = []
        if start < first, let previous = boundary(-1), let stubEnd = first.adding(days: -1) {
            periods.append(cut(BillingPeriod(start: start, end: stubEnd, fullStart: previous, fullEnd: stubEnd)))
        }
        var index = 0
        while let from = boundary(index), from <= last, let next = boundary(index + 1), let to = next.adding(days: -1) {
            periods.append(cut(BillingPeriod(start: from, end: to, fullStart: from, fullEnd: to)))
            index += 1
        }
        return periods
    }

    /// The period `day` falls in; nil before the start or after the end.
    public func period(containing day: CalendarDate) -> BillingPeriod? {
        guard day >= start, end.map({ day <= $0 }) ?? true, let first = boundary(0) else { return nil }
        guard day >= first else { return periods(startingThrough: day).first }
        let months = (day.year * 12 + day.month) - (first.year * 12 + first.month)
        var index = max(0, months / frequency.months - 1)
        while let next = boundary(index + 1), next <= day { index += 1 }
        guard let from = boundary(index), let next = boundary(index + 1), let to = next.adding(days: -1) else {
            return nil
        }
        return cut(BillingPeriod(start: from, end: to, fullStart: from, fullEnd: to))
    }

    /// The period cut at the end date, when the end falls inside it.
    private func cut(_ period: BillingPeriod) -> BillingPeriod {
        guard let end, end < period.end else { return period }
        return BillingPeriod(start: period.start, end: end, fullStart: period.fullStart, fullEnd: period.fullEnd)
    }
}
