import Foundation

/// When a schedule fires: every day, every week on a weekday, or every month on a day (clamped to
/// short months), at a time of day on the wall clock of a time zone. Across a daylight-saving gap
/// a time that does not exist fires when the clock has jumped past it; each day fires once.
public struct ScheduleCadence: Sendable, Equatable {
    public enum Frequency: Sendable, Equatable {
        case daily
        /// ISO day of week: 1 = Monday … 7 = Sunday.
        case weekly(weekday: Int)
        /// 1–31; 31 fires on the last day of shorter months.
        case monthly(day: Int)
    }

    public let frequency: Frequency
    /// Seconds after local midnight.
    public let secondOfDay: Int
    public let timeZone: TimeZone

    public init(frequency: Frequency, secondOfDay: Int, timeZone: TimeZone) {
        self.frequency = frequency
        self.secondOfDay = secondOfDay
        self.timeZone = timeZone
    }

    /// A cadence as schedules store it: `daily`, `weekly` with an ISO weekday, or `monthly` with a
    /// day of month; nil for anything else or an unknown time zone.
    public init?(cadence: String, weekday: Int?, monthDay: Int?, secondOfDay: Int, timeZone identifier: String) {
        guard let timeZone = TimeZone(identifier: identifier), (0..<86_400).contains(secondOfDay) else { return nil }
        switch (cadence, weekday, monthDay) {
        case ("daily", nil, nil): self.init(frequency: .daily, secondOfDay: secondOfDay, timeZone: timeZone)
        case ("weekly", let weekday?, nil) where (1...7).contains(weekday):
            self.init(frequency: .weekly(weekday: weekday), secondOfDay: secondOfDay, timeZone: timeZone)
        case ("monthly", nil, let day?) where (1...31).contains(day):
            self.init(frequency: .monthly(day: day), secondOfDay: secondOfDay, timeZone: timeZone)
        default: return nil
        }
    }

    /// The latest occurrence at or before `instant` (Unix seconds): the one a schedule that is due
    /// fires for, however many occurrences were missed before it.
    public func latest(atOrBefore instant: Int64) -> Int64 {
        occurrences(around: instant, days: stride(from: 1, through: -62, by: -1)).first { $0 <= instant } ?? instant
    }

    /// The first occurrence after `instant` (Unix seconds).
    public func next(after instant: Int64) -> Int64 {
        occurrences(around: instant, days: stride(from: -1, through: 62, by: 1)).first { $0 > instant }
            ?? instant + 86_400
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The occurrences on the local days `days` away from `instant`'s local day, in that order.
    private func occurrences(around instant: Int64, days: StrideThrough<Int>) -> [Int64] {
        let calendar = calendar
        let today = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(instant)))
        guard
            let noon = calendar.date(
                from: DateComponents(year: today.year, month: today.month, day: today.day, hour: 12))
        else { return [] }
        return days.compactMap { offset -> Int64? in
            guard let day = calendar.date(byAdding: .day, value: offset, to: noon) else { return nil }
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day,
                let weekday = parts.weekday,
                matches(year: year, month: month, day: dayOfMonth, weekday: weekday, calendar: calendar)
            else { return nil }
            let time = DateComponents(
                year: year, month: month, day: dayOfMonth, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
                second: secondOfDay % 60)
            return calendar.date(from: time).map { Int64($0.timeIntervalSince1970.rounded()) }
        }
    }

    private func matches(year: Int, month: Int, day: Int, weekday: Int, calendar: Calendar) -> Bool {
        switch frequency {
        case .daily:
            return true
        case .weekly(let isoWeekday):
            return (weekday + 5) % 7 + 1 == isoWeekday
        case .monthly(let monthDay):
            let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date()
            let length = calendar.range(of: .day, in: .month, for: first)?.count ?? 31
            return day == min(monthDay, length)
        }
    }
}
