import BillingCore
import Foundation
import Testing

@Suite struct PriceTermsTests {
    private func d(_ text: String) -> Decimal6 { Decimal6(text)! }

    private func terms(
        _ model: String, kind: ServiceKind = .recurring, unitPrice: String? = nil, packageSize: String? = nil,
        tiers: [PriceTier]? = nil, included: String? = nil, frequency: String? = nil
    ) throws(ValidationFailure) -> PriceTerms {
        try PriceTerms.validate(
            kind: kind, pricingModel: model, unitPrice: unitPrice.map(d), packageSize: packageSize.map(d), tiers: tiers,
            includedQuantity: included.map(d), frequency: frequency, field: "prices[0]")
    }

    private func failure(_ body: () throws(ValidationFailure) -> PriceTerms) -> (reason: String, field: String?)? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error.reason, error.field)
        }
    }

    private let openTier = [PriceTier(upTo: nil, unitPrice: Decimal6("1")!)]

    @Test func eachModelTakesItsOwnFields() throws {
        #expect(
            try terms("per_unit", unitPrice: "0.05")
                == PriceTerms(model: .perUnit(unitPrice: d("0.05")), frequency: .monthly))
        #expect(
            try terms("package", kind: .usage, unitPrice: "5", packageSize: "100", included: "100")
                == PriceTerms(model: .package(size: d("100"), packagePrice: d("5")), includedQuantity: d("100")))
        #expect(try terms("graduated", kind: .oneTime, tiers: openTier).model == .graduated(openTier))
        #expect(try terms("volume", tiers: openTier, frequency: "annual").frequency == .annual)
    }

    @Test func everyWrongFieldHasItsReason() {
        let cases: [(() throws(ValidationFailure) -> PriceTerms, String, String)] = [
            ({ () throws(ValidationFailure) in try terms("per_unit") }, "missing_price", "prices[0].unit_price"),
            (
                { () throws(ValidationFailure) in try terms("per_unit", unitPrice: "1", tiers: openTier) },
                "invalid_price", "prices[0].tiers"
            ),
            (
                { () throws(ValidationFailure) in try terms("per_unit", unitPrice: "1", packageSize: "10") },
                "invalid_price", "prices[0].package_size"
            ),
            (
                { () throws(ValidationFailure) in try terms("package", unitPrice: "5") }, "missing_price",
                "prices[0].package_size"
            ),
            (
                { () throws(ValidationFailure) in try terms("package", unitPrice: "5", packageSize: "0") },
                "invalid_package_size", "prices[0].package_size"
            ),
            ({ () throws(ValidationFailure) in try terms("volume") }, "missing_price", "prices[0].tiers"),
            (
                { () throws(ValidationFailure) in try terms("graduated", unitPrice: "1", tiers: openTier) },
                "invalid_price", "prices[0].unit_price"
            ),
            (
                { () throws(ValidationFailure) in
                    try terms("graduated", tiers: [PriceTier(upTo: d("10"), unitPrice: d("1"))])
                }, "invalid_tiers", "prices[0].tiers"
            ),
            (
                { () throws(ValidationFailure) in try terms("per_unit", unitPrice: "-1") }, "negative_price",
                "prices[0].unit_price"
            ),
            (
                { () throws(ValidationFailure) in try terms("per_unit", unitPrice: "1", included: "-1") },
                "invalid_included_quantity", "prices[0].included_quantity"
            ),
            (
                { () throws(ValidationFailure) in try terms("per_unit", unitPrice: "1", frequency: "weekly") },
                "invalid_frequency", "prices[0].frequency"
            ),
            (
                { () throws(ValidationFailure) in
                    try terms("per_unit", kind: .usage, unitPrice: "1", frequency: "monthly")
                },
                "invalid_price", "prices[0].frequency"
            ),
            (
                { () throws(ValidationFailure) in try terms("tiered", unitPrice: "1") }, "invalid_pricing_model",
                "prices[0].pricing_model"
            ),
        ]
        for (body, reason, field) in cases {
            let got = failure(body)
            #expect(
                got?.reason == reason && got?.field == field,
                "expected \(reason) at \(field), got \(String(describing: got))")
        }
    }

    @Test func decimalsAndTiersTravelAsExactText() throws {
        let tiers = [
            PriceTier(upTo: d("10"), unitPrice: d("10"), flatFee: d("2")),
            PriceTier(upTo: nil, unitPrice: d("0.000001")),
        ]
        let text = String(decoding: try JSONEncoder().encode(tiers), as: UTF8.self)
        #expect(text.contains(#""unit_price":"0.000001""#) && text.contains(#""up_to":null"#))
        #expect(try JSONDecoder().decode([PriceTier].self, from: Data(text.utf8)) == tiers)
        let flatFeeOmitted = try JSONDecoder().decode(PriceTier.self, from: Data(#"{"unit_price":"3"}"#.utf8))
        #expect(flatFeeOmitted == PriceTier(upTo: nil, unitPrice: d("3")))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Decimal6.self, from: Data(#""0.0000001""#.utf8))
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Decimal6.self, from: Data("1.5".utf8)) }
    }

    @Test func calendarDatesAreStrict() throws {
        #expect(CalendarDate("2024-02-29")?.description == "2024-02-29")
        for invalid in [
            "2025-02-29", "2100-02-29", "2026-13-01", "2026-04-31", "2026-4-01", "26-04-01", "2026-04-01T00",
            "2026-0a-01", "2026/04/01", "+026-04-01", "0000-01-01", "2026-00-10", "2026-01-00", "2026-04-1 ",
            "２０２６-04-01", "",
        ] {
            #expect(CalendarDate(invalid) == nil, "\(invalid)")
        }
        #expect(CalendarDate("2000-02-29") != nil)
        // Every day of these years reads back from its text, and the text is zero-padded.
        func padded(_ value: Int, _ width: Int) -> String {
            String(repeating: "0", count: width - String(value).count) + String(value)
        }
        for year in [1, 999, 1999, 2000, 2024, 9999] {
            for month in 1...12 {
                for day in 1...CalendarDate.daysInMonth(year: year, month: month) {
                    let text = "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
                    let date = try #require(CalendarDate(text), "\(text)")
                    #expect(date == CalendarDate(year: year, month: month, day: day) && date.description == text)
                }
            }
        }
        #expect(CalendarDate("2026-01-31")! < CalendarDate("2026-02-01")!)
        #expect(CalendarDate("2025-12-31")! < CalendarDate("2026-01-01")!)
        #expect(
            try JSONDecoder().decode(CalendarDate.self, from: Data(#""2026-11-23""#.utf8)) == CalendarDate("2026-11-23")
        )
    }
}
