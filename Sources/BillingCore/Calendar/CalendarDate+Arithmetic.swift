extension CalendarDate {
    /// Days since 1970-01-01 (negative before): differences of day numbers count days exactly.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01; nil outside years 1–9999.
    public init?(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The date `days` later (earlier when negative); nil outside years 1–9999.
    public func adding(days: Int) -> CalendarDate? {
        CalendarDate(dayNumber: dayNumber + days)
    }

    /// Days from this date to `other`, both counted: [2026-03-01, 2026-03-31] has 31.
    public func daysThrough(_ other: CalendarDate) -> Int {
        other.dayNumber - dayNumber + 1
    }

    /// Day `day` of the month `months` after this date's month, clamped to that month's last
    /// day (day 31 in February is the 28th or 29th); nil outside years 1–9999.
    public func dayOfMonth(_ day: Int, monthsLater months: Int) -> CalendarDate? {
        let index = year * 12 + (month - 1) + months
        let (targetYear, targetMonth) = (index / 12, index % 12 + 1)
        guard (1...9999).contains(targetYear) else { return nil }
        return CalendarDate(
            year: targetYear, month: targetMonth,
            day: min(day, Self.daysInMonth(year: targetYear, month: targetMonth)))
    }
}
