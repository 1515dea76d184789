import BillingCore
import Testing

/// BILLING.md §1–5, every example, and the properties periods must have.
@Suite struct RecurringScheduleTests {
    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }
    private func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    private let eur = try! Currency(code: "EUR")

    private func spans(_ periods: [BillingPeriod]) -> [String] {
        periods.map { "\($0.start)…\($0.end)" }
    }

    @Test func stubThenCalendarMonths() {
        let schedule = RecurringSchedule(start: day("2021-01-15"), end: nil, billingDay: 1, frequency: .monthly)
        let periods = schedule.periods(startingThrough: day("2021-03-31"))
        #expect(spans(periods) == ["2021-01-15…2021-01-31", "2021-02-01…2021-02-28", "2021-03-01…2021-03-31"])
        #expect(periods[0].fullStart == day("2021-01-01") && !periods[0].isFull && periods[1].isFull)
    }

    @Test func dayThirtyOneClampsWithoutSticking() {
        let schedule = RecurringSchedule(start: day("2024-01-31"), end: nil, billingDay: 31, frequency: .monthly)
        let starts = schedule.periods(startingThrough: day("2024-05-31")).map { "\($0.start)" }
        #expect(starts == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"])
        let nonLeap = RecurringSchedule(start: day("2025-01-31"), end: nil, billingDay: 31, frequency: .monthly)
        #expect(
            nonLeap.periods(startingThrough: day("2025-03-31")).map { "\($0.end)" } == [
                "2025-02-27", "2025-03-30", "2025-04-29",
            ])
    }

    @Test func prorationExamples() throws {
        let august = RecurringSchedule(start: day("2026-08-10"), end: nil, billingDay: 1, frequency: .monthly)
        let stub = august.periods(startingThrough: day("2026-08-31"))[0]
        #expect(stub.days == 22 && stub.fullDays == 31)
        #expect(try stub.charge(unitPrice: d("50"), quantity: d("1"), currency: eur).description == "35.48")

        let earlier = RecurringSchedule(start: day("2018-08-18"), end: nil, billingDay: 1, frequency: .monthly)
        let short = earlier.periods(startingThrough: day("2018-08-31"))[0]
        #expect(short.days == 14)
        #expect(try short.charge(unitPrice: d("35"), quantity: d("1"), currency: eur).description == "15.81")

        let quarterly = RecurringSchedule(start: day("2025-06-15"), end: nil, billingDay: 1, frequency: .quarterly)
        let quarters = quarterly.periods(startingThrough: day("2025-12-31"))
        #expect(spans(quarters) == ["2025-06-15…2025-06-30", "2025-07-01…2025-09-30", "2025-10-01…2025-12-31"])
        #expect(quarters[0].fullStart == day("2025-04-01") && quarters[0].days == 16 && quarters[0].fullDays == 91)
        let amounts = try quarters.map {
            try $0.charge(unitPrice: d("300"), quantity: d("1"), currency: eur).description
        }
        #expect(amounts == ["52.75", "300.00", "300.00"])

        let ending = RecurringSchedule(
            start: day("2026-01-01"), end: day("2026-03-10"), billingDay: 1, frequency: .monthly)
        let lastPeriods = ending.periods(startingThrough: day("2030-01-01"))
        #expect(spans(lastPeriods).last == "2026-03-01…2026-03-10" && lastPeriods.count == 3)
        #expect(try lastPeriods[2].charge(unitPrice: d("30"), quantity: d("1"), currency: eur).description == "9.68")
    }

    @Test func advanceAndArrearsDates() {
        let period = BillingPeriod(
            start: day("2026-03-01"), end: day("2026-03-31"), fullStart: day("2026-03-01"), fullEnd: day("2026-03-31"))
        #expect(period.billingDate(.advance) == day("2026-03-01"))
        #expect(period.billingDate(.arrears) == day("2026-04-01"))
    }

    @Test func oneTimeIsQuantityTimesPriceRoundedOnce() throws {
        #expect(
            try Pricing.charge(quantity: d("3"), model: .perUnit(unitPrice: d("0.335")), currency: eur).description
                == "1.01")
    }

    @Test(arguments: [
        ("1000.01", "EUR", ["30", "30", "40"], ["300.00", "300.00", "400.01"]),
        ("999.99", "EUR", ["30", "30", "40"], ["300.00", "300.00", "399.99"]),
        ("100.00", "EUR", ["33.33", "33.33", "33.34"], ["33.33", "33.33", "33.34"]),
        ("1001", "JPY", ["30", "30", "40"], ["300", "300", "401"]),
    ])
    func installments(total: String, currency: String, percentages: [String], expected: [String]) throws {
        let currency = try Currency(code: currency)
        let minorUnits = Int64(total.replacingOccurrences(of: ".", with: ""))!
        let plan = percentages.map(d)
        try InstallmentPlan.validate(plan)
        let amounts = try InstallmentPlan.split(Money(minorUnits: minorUnits, currency: currency), by: plan)
        #expect(amounts.map(\.description) == expected)
        #expect(amounts.reduce(0) { $0 + $1.minorUnits } == minorUnits)
    }

    @Test func plansMustSumToExactlyOneHundred() {
        #expect(
            throws: ValidationFailure(
                reason: "percentages_not_100", field: "plan", message: "the plan's percentages sum to 99.99, not 100")
        ) {
            try InstallmentPlan.validate([d("33.33"), d("33.33"), d("33.33")])
        }
        #expect(throws: ValidationFailure.self) { try InstallmentPlan.validate([d("50"), d("50"), d("0")]) }
        #expect(throws: ValidationFailure.self) { try InstallmentPlan.validate([]) }
    }

    /// For many starts, ends and billing days: the periods tile [start, end] with no gap or
    /// overlap, each lies inside its full period, and a prorated part never costs more than a full one.
    @Test func periodsTileTheirTerm() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let start = CalendarDate(dayNumber: Int.random(in: 18_000...21_000, using: &generator))!
            let end = start.adding(days: Int.random(in: 0...1200, using: &generator))!
            let frequency = BillingFrequency.allCases.randomElement(using: &generator)!
            let billingDay = Int.random(in: 1...31, using: &generator)
            let schedule = RecurringSchedule(start: start, end: end, billingDay: billingDay, frequency: frequency)
            let periods = schedule.periods(startingThrough: end)
            let label = "\(start)…\(end) day \(billingDay) \(frequency)"
            #expect(periods.first?.start == start && periods.last?.end == end, "\(label)")
            for (earlier, later) in zip(periods, periods.dropFirst()) {
                #expect(earlier.end.adding(days: 1) == later.start, "\(label): gap or overlap at \(earlier.end)")
            }
            for period in periods {
                #expect(period.fullStart <= period.start && period.end <= period.fullEnd && period.start <= period.end)
                let part = try period.charge(unitPrice: d("99.99"), quantity: d("3"), currency: eur)
                #expect(part.minorUnits <= 29_997, "\(label)")
            }
        }
    }

    @Test func twelveAlignedMonthsSumToTwelvePrices() throws {
        for billingDay in [1, 15, 28, 29, 30, 31] {
            let start = CalendarDate(year: 2027, month: 1, day: min(billingDay, 31))!
            let schedule = RecurringSchedule(start: start, end: nil, billingDay: billingDay, frequency: .monthly)
            let year = Array(schedule.periods(startingThrough: start.dayOfMonth(billingDay, monthsLater: 11)!))
            #expect(year.count == 12 && year.allSatisfy(\.isFull), "day \(billingDay)")
            let total = try year.reduce(Int64(0)) {
                $0 + (try $1.charge(unitPrice: d("33.33"), quantity: d("1"), currency: eur)).minorUnits
            }
            #expect(total == 12 * 3333, "day \(billingDay)")
        }
    }

    @Test func dayNumbersRoundTrip() {
        #expect(CalendarDate("1970-01-01")!.dayNumber == 0)
        #expect(CalendarDate("2000-03-01")!.dayNumber - CalendarDate("2000-02-28")!.dayNumber == 2)
        for number in stride(from: -700_000, through: 2_900_000, by: 997) {
            #expect(CalendarDate(dayNumber: number)?.dayNumber == number)
        }
        #expect(CalendarDate("2026-12-31")!.adding(days: 1) == CalendarDate("2027-01-01"))
    }
}
