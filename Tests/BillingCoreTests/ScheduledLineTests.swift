import BillingCore
import Testing

/// BILLING.md §6 as a line item's schedule: installments, and the quantity and amount the line
/// becomes, which they sum to exactly.
@Suite struct ScheduledLineTests {
    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// 12.05 a unit: the revenue of a quantity in hundredths, in cents.
    private func at1205(_ hundredths: Int64) -> Int64 { hundredths * 1205 / 100 }

    @Test func revenueDividedOverTwelveMonthsFromAMonthEnd() throws {
        let line = try ScheduledLine.schedule(
            quantity: nil,
            revenue: .init(mode: .divide, period: .monthly, count: 12, start: day("2026-01-31"), value: 120_500),
            revenueOf: at1205)
        #expect(line.installments.map(\.revenue) == Array(repeating: 10_042, count: 11) + [10_038])
        #expect(line.revenue == 120_500 && line.quantity == nil)
        #expect(
            line.installments.prefix(4).map(\.date.description) == [
                "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30",
            ])
        #expect(line.installments.last?.date == day("2026-12-31"))
    }

    @Test func quantityDividedSetsTheRevenueOfTheWholeQuantity() throws {
        let line = try ScheduledLine.schedule(
            quantity: .init(mode: .divide, period: .quarterly, count: 5, start: day("2026-01-15"), value: 10_000),
            revenue: nil, revenueOf: at1205)
        #expect(line.installments.map(\.quantity) == Array(repeating: 2_000, count: 5))
        #expect(line.installments.allSatisfy { $0.revenue == nil })
        #expect(line.quantity == 10_000 && line.revenue == 120_500)
        #expect(line.installments.last?.date == day("2027-01-15"))
    }

    @Test func bothDividesTheRevenueTheQuantityScheduleSets() throws {
        // 100 units at 12.05 over 5: 20 units and 241.00 each.
        let line = try ScheduledLine.schedule(
            quantity: .init(mode: .divide, period: .monthly, count: 5, start: day("2026-03-01"), value: 10_000),
            revenue: .init(mode: .divide, period: .monthly, count: 5, start: day("2026-03-01"), value: 0),
            revenueOf: at1205)
        #expect(line.installments.map(\.quantity) == Array(repeating: 2_000, count: 5))
        #expect(line.installments.map(\.revenue) == Array(repeating: 24_100, count: 5))
        #expect(line.revenue == 120_500 && line.quantity == 10_000)
    }

    @Test func bothWithRepeatedRevenueCarriesTheTotalInEachInstallment() throws {
        // 1 unit over 3 (0.33, 0.33, 0.34) at 12.05 sets 12.05, which each installment repeats.
        let line = try ScheduledLine.schedule(
            quantity: .init(mode: .divide, period: .weekly, count: 3, start: day("2026-12-28"), value: 100),
            revenue: .init(mode: .repeat, period: .weekly, count: 3, start: day("2026-12-28"), value: 0),
            revenueOf: at1205)
        #expect(line.installments.map(\.quantity) == [33, 33, 34])
        #expect(line.installments.map(\.revenue) == [1_205, 1_205, 1_205])
        #expect(line.revenue == 3_615)
        #expect(line.installments.map(\.date.description) == ["2026-12-28", "2027-01-04", "2027-01-11"])
    }

    @Test func repeatedQuantityMultipliesTheLine() throws {
        let line = try ScheduledLine.schedule(
            quantity: .init(mode: .repeat, period: .yearly, count: 4, start: day("2024-02-29"), value: 1_000),
            revenue: nil, revenueOf: at1205)
        #expect(line.quantity == 4_000 && line.revenue == 48_200)
        #expect(line.installments.map(\.date.description) == ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28"])
    }
}
