import BillingCore
import Testing

/// What usage recording rests on: RFC 3339 instants, the tenant's day they fall on, the billing
/// period containing a day, and how a period's events aggregate.
@Suite struct UsageCoreTests {
    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func timestampsParseToTheMicrosecondAndFallOnTheTenantsDay() throws {
        let utc = try #require(Timestamp("2026-12-05T23:30:00Z"))
        let paris = try #require(Timestamp("2026-12-06T00:30:00+01:00"))
        #expect(utc == paris && utc.description == "2026-12-05T23:30:00Z")
        #expect(utc.day(offsetSeconds: 0) == day("2026-12-05"))
        #expect(utc.day(offsetSeconds: 3600) == day("2026-12-06"))
        #expect(utc.day(offsetSeconds: -10 * 3600) == day("2026-12-05"))
        let fraction = try #require(Timestamp("2026-01-01T00:00:00.25-00:30"))
        #expect(fraction.description == "2026-01-01T00:30:00.25Z")
        #expect(Timestamp("1969-12-31T23:59:59.5Z")?.day(offsetSeconds: 0) == day("1969-12-31"))
        for invalid in [
            "2026-12-05", "2026-12-05T24:00:00Z", "2026-02-30T10:00:00Z", "2026-12-05T10:00:00", "2026-12-05 10:00:00Z",
            "2026-12-05T10:00:00.1234567Z", "2026-12-05T10:00:00+0100", "2026-12-05T10:00:00.Z",
        ] {
            #expect(Timestamp(invalid) == nil, "\(invalid)")
        }
    }

    @Test func theBillingPeriodContainingADayIsOneOfTheSchedulesPeriods() {
        // Monthly on the 31st from 2026-01-15: a stub to 01-30, then 01-31…02-27, 02-28…03-30 …
        let schedule = RecurringSchedule(
            start: day("2026-01-15"), end: day("2027-03-10"), billingDay: 31, frequency: .monthly)
        let periods = schedule.periods(startingThrough: day("2027-03-10"))
        var current = day("2026-01-15")
        while current <= day("2027-03-10") {
            let expected = periods.first { $0.start <= current && current <= $0.end }
            #expect(schedule.period(containing: current) == expected, "\(current)")
            current = current.adding(days: 1)!
        }
        #expect(schedule.period(containing: day("2026-01-14")) == nil)
        #expect(schedule.period(containing: day("2027-03-11")) == nil)
        let quarterly = RecurringSchedule(start: day("2025-06-15"), end: nil, billingDay: 1, frequency: .quarterly)
        #expect(quarterly.period(containing: day("2030-11-17"))?.start == day("2030-10-01"))
        #expect(quarterly.period(containing: day("2025-06-20"))?.end == day("2025-06-30"))
    }

    @Test func aPeriodsQuantityIsItsEventsSumCountOrPeak() {
        let sum = Decimal6("1500.5")!
        let max = Decimal6("900")!
        #expect(UsageAggregation.sum.quantity(sum: sum, count: 3, max: max) == sum)
        #expect(UsageAggregation.count.quantity(sum: sum, count: 3, max: max) == Decimal6(3))
        #expect(UsageAggregation.max.quantity(sum: sum, count: 3, max: max) == max)
    }
}
