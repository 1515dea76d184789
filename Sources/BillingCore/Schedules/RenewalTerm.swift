/// The term a renewal covers (BILLING.md §11): from the day after the order ends, as long as the
/// order's term. A term of whole months (2026-01-01 … 2026-12-31 is 12) renews as that many
/// months; any other as the same number of days.
public enum RenewalTerm {
    /// Months of the longest term counted in months: a hundred years.
    static let maximumMonths = 1_200

    public static func following(start: CalendarDate, end: CalendarDate) -> (start: CalendarDate, end: CalendarDate)? {
        guard let next = end.adding(days: 1) else { return nil }
        for months in 1...maximumMonths {
            guard let boundary = start.dayOfMonth(start.day, monthsLater: months), boundary <= next else { break }
            if boundary == next {
                guard let after = next.dayOfMonth(next.day, monthsLater: months), let last = after.adding(days: -1)
                else { return nil }
                return (next, last)
            }
        }
        guard let last = next.adding(days: start.daysThrough(end) - 1) else { return nil }
        return (next, last)
    }
}
