import BillingCore
import BillingJobs
import Foundation
import Testing

@Suite struct ScheduleCadenceTests {
    private func instant(_ text: String) -> Int64 {
        Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970)
    }

    private func text(_ instant: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(instant)))
    }

    private let paris = TimeZone(identifier: "Europe/Paris")!

    @Test func dailyAtThreeInTheTenantsTimeZone() {
        let cadence = ScheduleCadence(frequency: .daily, secondOfDay: 3 * 3600, timeZone: paris)
        // 03:00 in Paris is 02:00Z in winter, 01:00Z in summer.
        #expect(text(cadence.next(after: instant("2026-11-23T10:00:00Z"))) == "2026-11-24T02:00:00Z")
        #expect(text(cadence.latest(atOrBefore: instant("2026-11-23T10:00:00Z"))) == "2026-11-23T02:00:00Z")
        #expect(text(cadence.latest(atOrBefore: instant("2026-11-23T02:00:00Z"))) == "2026-11-23T02:00:00Z")
        #expect(text(cadence.next(after: instant("2026-11-23T02:00:00Z"))) == "2026-11-24T02:00:00Z")
        #expect(text(cadence.next(after: instant("2026-07-01T00:30:00Z"))) == "2026-07-01T01:00:00Z")
        // Two days missed: the latest occurrence only.
        #expect(text(cadence.latest(atOrBefore: instant("2026-11-25T09:00:00Z"))) == "2026-11-25T02:00:00Z")
    }

    @Test func daylightSavingChangesFireOncePerDay() {
        // 02:30 does not exist in Paris on 2026-03-29 (02:00 → 03:00) and happens twice on 2026-10-25.
        let cadence = ScheduleCadence(frequency: .daily, secondOfDay: 2 * 3600 + 1800, timeZone: paris)
        let spring = cadence.next(after: instant("2026-03-28T12:00:00Z"))
        #expect(spring > instant("2026-03-29T00:00:00Z") && spring <= instant("2026-03-29T01:30:00Z"))
        #expect(text(cadence.next(after: spring)) == "2026-03-30T00:30:00Z")
        let autumn = cadence.next(after: instant("2026-10-24T12:00:00Z"))
        #expect(autumn == instant("2026-10-25T00:30:00Z") || autumn == instant("2026-10-25T01:30:00Z"))
        #expect(text(cadence.next(after: autumn)) == "2026-10-26T01:30:00Z")
    }

    @Test func weeklyOnMondaysAndMonthlyOnTheLastDay() {
        let utc = TimeZone(identifier: "UTC")!
        let mondays = ScheduleCadence(frequency: .weekly(weekday: 1), secondOfDay: 0, timeZone: utc)
        // 2026-11-23 is a Monday.
        #expect(text(mondays.next(after: instant("2026-11-23T00:00:00Z"))) == "2026-11-30T00:00:00Z")
        #expect(text(mondays.latest(atOrBefore: instant("2026-11-29T23:00:00Z"))) == "2026-11-23T00:00:00Z")
        let sundays = ScheduleCadence(frequency: .weekly(weekday: 7), secondOfDay: 0, timeZone: utc)
        #expect(text(sundays.next(after: instant("2026-11-23T00:00:00Z"))) == "2026-11-29T00:00:00Z")
        let monthEnd = ScheduleCadence(frequency: .monthly(day: 31), secondOfDay: 3600, timeZone: utc)
        #expect(text(monthEnd.next(after: instant("2026-02-01T00:00:00Z"))) == "2026-02-28T01:00:00Z")
        #expect(text(monthEnd.next(after: instant("2028-02-01T00:00:00Z"))) == "2028-02-29T01:00:00Z")
        #expect(text(monthEnd.next(after: instant("2026-02-28T01:00:00Z"))) == "2026-03-31T01:00:00Z")
        #expect(text(monthEnd.latest(atOrBefore: instant("2026-05-15T00:00:00Z"))) == "2026-04-30T01:00:00Z")
    }

    @Test func retriesDoubleUpToTheMaximum() {
        let policy = RetryPolicy(base: .seconds(10), maximum: .seconds(60))
        #expect((1...6).map { policy.delay(afterAttempt: $0) } == [10, 20, 40, 60, 60, 60].map { .seconds($0) })
    }
}
