/// An instant as partners send it, RFC 3339 (`2026-12-05T10:15:00Z`, `2026-12-05T11:15:00.250+01:00`),
/// kept to the microsecond: when a usage event happened.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microseconds: Int64

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t` and `z` are accepted too. Nil for
    /// anything else, an impossible date or time, or more than six fractional digits.
    public init?(_ text: String) {
        var utf8 = Array(text.utf8)
        guard utf8.count >= 20, let date = CalendarDate(String(decoding: utf8[0..<10], as: UTF8.self)) else {
            return nil
        }
        utf8 = Array(utf8[10...])
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= utf8.count else { return nil }
            var value = 0
            for byte in utf8[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard utf8[0] == 84 || utf8[0] == 116, utf8[3] == 58, utf8[6] == 58,
            let hour = digits(1..<3), let minute = digits(4..<6), let second = digits(7..<9),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var position = 9
        var micros = 0
        if position < utf8.count, utf8[position] == 46 {
            position += 1
            var count = 0
            while position < utf8.count, (48...57).contains(utf8[position]) {
                guard count < 6 else { return nil }
                micros = micros * 10 + Int(utf8[position] - 48)
                count += 1
                position += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<6 { micros *= 10 }
        }
        var offset = 0
        guard position < utf8.count else { return nil }
        switch utf8[position] {
        case 90, 122:
            guard position + 1 == utf8.count else { return nil }
        case 43, 45:
            guard position + 6 == utf8.count, utf8[position + 3] == 58,
                let hours = digits(position + 1..<position + 3), let minutes = digits(position + 4..<position + 6),
                hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (utf8[position] == 45 ? -1 : 1)
        default:
            return nil
        }
        let seconds = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        microseconds = seconds * 1_000_000 + Int64(micros)
    }

    /// The calendar day it falls on, `offsetSeconds` east of UTC (the tenant's time zone then).
    public func day(offsetSeconds: Int) -> CalendarDate? {
        let local = epochSeconds + Int64(offsetSeconds)
        return CalendarDate(dayNumber: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    /// Seconds since the epoch, for time zone lookups.
    public var epochSeconds: Int64 {
        microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
    }

    /// UTC, with the microseconds when it has any: `2026-12-05T10:15:00Z`, `…:00.25Z`.
    public var description: String {
        let seconds = epochSeconds
        let fraction = Int(microseconds - seconds * 1_000_000)
        let dayNumber = Int((seconds - ((seconds % 86_400 + 86_400) % 86_400)) / 86_400)
        let secondOfDay = Int((seconds % 86_400 + 86_400) % 86_400)
        let date = CalendarDate(dayNumber: dayNumber).map(\.description) ?? "?"
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(date)T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 6 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += ".\(digits)"
        }
        return text + "Z"
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }
}
