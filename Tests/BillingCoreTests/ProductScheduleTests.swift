import BillingCore
import Testing

/// BILLING.md §6, every example.
@Suite struct ProductScheduleTests {
    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func dividedRevenueLeavesTheRemainderToTheLastInstallment() {
        // 1,205.00 over 12 monthly → 11 × 100.42 + 100.38.
        let cents = ProductSchedule.divide(120_500, into: 12)
        #expect(cents == Array(repeating: 10_042, count: 11) + [10_038])
        #expect(cents.reduce(0, +) == 120_500)
    }

    @Test func dividedQuantityRoundsToHundredths() {
        // Quantity 100 over 5 → 5 × 20 (in hundredths: 2,000 each).
        #expect(ProductSchedule.divide(10_000, into: 5) == Array(repeating: 2_000, count: 5))
        // 10 over 3 → 3.33, 3.33, 3.34.
        #expect(ProductSchedule.divide(1_000, into: 3) == [333, 333, 334])
    }

    @Test func repeatedAmountsMultiplyTheTotal() {
        let repeated = ProductSchedule.repeating(5_000, count: 4)
        #expect(repeated == [5_000, 5_000, 5_000, 5_000] && repeated.reduce(0, +) == 20_000)
    }

    @Test func bothSchedulesTheQuantityFirstThenItsRevenue() throws {
        // 100 units at 12.05 over 5: the quantity schedule (20 each) sets the revenue total 1,205.00,
        // which the revenue schedule then divides.
        let quantities = ProductSchedule.divide(10_000, into: 5)
        let revenue = quantities.reduce(0, +) * 1205 / 100
        #expect(revenue == 120_500)
        #expect(ProductSchedule.divide(revenue, into: 5) == Array(repeating: 24_100, count: 5))
    }

    @Test func installmentsAreDatedByPeriodWithMonthEndsClamped() throws {
        #expect(
            ProductSchedule.dates(start: day("2026-01-31"), period: .monthly, count: 4).map(\.description) == [
                "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30",
            ])
        #expect(
            ProductSchedule.dates(start: day("2026-11-30"), period: .quarterly, count: 2).map(\.description) == [
                "2026-11-30", "2027-02-28",
            ])
        #expect(ProductSchedule.dates(start: day("2024-02-29"), period: .yearly, count: 2).last == day("2025-02-28"))
        #expect(ProductSchedule.dates(start: day("2026-12-30"), period: .weekly, count: 2).last == day("2027-01-06"))
        #expect(ProductSchedule.dates(start: day("2026-12-31"), period: .daily, count: 2).last == day("2027-01-01"))
        #expect(throws: ValidationFailure.self) { try ProductSchedule.validate(installments: 151) }
        #expect(throws: ValidationFailure.self) { try ProductSchedule.validate(installments: 0) }
        try ProductSchedule.validate(installments: 150)
    }
}
