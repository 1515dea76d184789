import BillingCore
import Testing

/// BILLING.md §11: a renewal starts the day after the order ends and is as long as its term.
@Suite struct RenewalTermTests {
    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    private func renewal(_ start: String, _ end: String) -> String? {
        RenewalTerm.following(start: day(start), end: day(end)).map { "\($0.start)…\($0.end)" }
    }

    @Test func termsOfWholeMonthsRenewAsMonths() {
        #expect(renewal("2026-01-01", "2026-12-31") == "2027-01-01…2027-12-31")
        #expect(renewal("2026-01-15", "2026-04-14") == "2026-04-15…2026-07-14")
        // A leap day start: twelve months end on 2025-02-27, the renewal on 2026-02-27.
        #expect(renewal("2024-02-29", "2025-02-27") == "2025-02-28…2026-02-27")
    }

    @Test func otherTermsRenewAsTheSameNumberOfDays() {
        #expect(renewal("2026-03-01", "2026-03-10") == "2026-03-11…2026-03-20")
        // 364 days: 2026-12-31 plus 363 days.
        #expect(renewal("2026-01-01", "2026-12-30") == "2026-12-31…2027-12-29")
    }
}
