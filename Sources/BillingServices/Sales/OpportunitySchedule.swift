import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Turns an `opportunities.set_schedule` request into what the line item stores: the schedule
/// (BILLING.md §6) worked out by `ScheduledLine`, the quantity and amount the line becomes, and
/// the request with its defaults filled in.
enum OpportunitySchedule {
    struct Plan {
        let type: String?
        let request: String?
        let quantity: Decimal6
        let amount: String
        let installments: [ScheduleInstallmentRecord]
    }

    /// The two schedules as stored in `opportunity_items.schedule`.
    struct Request: Codable {
        var quantitySchedule: ScheduleSpreadInput?
        var revenueSchedule: ScheduleSpreadInput?

        enum CodingKeys: String, CodingKey {
            case quantitySchedule = "quantity_schedule"
            case revenueSchedule = "revenue_schedule"
        }
    }

    static func request(_ json: String) throws -> Request {
        try JSONDecoder().decode(Request.self, from: Data(json.utf8))
    }

    static func plan(
        type: String, quantity: ScheduleSpreadInput?, revenue: ScheduleSpreadInput?, item: OpportunityItemRecord,
        start: CalendarDate, currency: Currency
    ) throws -> Plan {
        let line = item.item
        let revenueOf = { (hundredths: Int64) throws -> Int64 in
            try Pricing.discountedCharge(
                quantity: Decimal6(scaled: hundredths * 10_000), terms: line.terms,
                discountPercent: line.discountPercent, currency: currency
            ).minorUnits
        }
        guard type != "none" else {
            return Plan(
                type: nil, request: nil, quantity: line.quantity,
                amount: try SaleLinePricer.amount(of: line, currency: currency).description, installments: [])
        }
        let wantsQuantity = type != "revenue"
        let wantsRevenue = type != "quantity"
        if !wantsQuantity, quantity != nil { throw unexpected("quantity_schedule", type) }
        if !wantsRevenue, revenue != nil { throw unexpected("revenue_schedule", type) }
        var stored = Request()
        var quantitySpread: ScheduledLine.Spread?
        if wantsQuantity {
            guard var input = quantity else { throw missing("quantity_schedule", type) }
            guard input.amount == nil else {
                throw ValidationFailure(
                    reason: "invalid_schedule", field: "quantity_schedule.amount",
                    message: "a quantity schedule spreads a quantity, not an amount")
            }
            let value = input.quantity ?? line.quantity
            guard value > .zero, value.scaled % 10_000 == 0 else {
                throw ValidationFailure(
                    reason: "invalid_quantity", field: "quantity_schedule.quantity",
                    message: "a scheduled quantity is more than 0, with at most two decimals")
            }
            input.quantity = value
            input.startDate = input.startDate ?? start
            quantitySpread = try spread(input, value: value.scaled / 10_000, field: "quantity_schedule")
            stored.quantitySchedule = input
        }
        var revenueSpread: ScheduledLine.Spread?
        if wantsRevenue {
            guard var input = revenue else { throw missing("revenue_schedule", type) }
            guard input.quantity == nil else {
                throw ValidationFailure(
                    reason: "invalid_schedule", field: "revenue_schedule.quantity",
                    message: "a revenue schedule spreads an amount, not a quantity")
            }
            var value: Int64 = 0
            if let quantitySpread {
                guard input.amount == nil else {
                    throw ValidationFailure(
                        reason: "invalid_schedule", field: "revenue_schedule.amount",
                        message: "with both schedules the quantity schedule sets the revenue")
                }
                input.startDate = input.startDate ?? quantitySpread.start
                guard input.period == quantitySpread.period.rawValue, input.installments == quantitySpread.count,
                    input.startDate == quantitySpread.start
                else {
                    throw ValidationFailure(
                        reason: "schedule_mismatch", field: "revenue_schedule",
                        message: "with both schedules the revenue installments fall on the quantity installments' dates"
                    )
                }
            } else {
                let amount = try input.amount.map { try minorUnits($0, currency: currency) }
                value = try amount ?? SaleLinePricer.amount(of: line, currency: currency).minorUnits
                input.amount = Decimal6(scaled: value * power10(6 - currency.exponent))
                input.startDate = input.startDate ?? start
            }
            revenueSpread = try spread(input, value: value, field: "revenue_schedule")
            stored.revenueSchedule = input
        }
        let scheduled = try ScheduledLine.schedule(
            quantity: quantitySpread, revenue: revenueSpread, revenueOf: revenueOf)
        // Dividing a small total over many installments can leave the last one below zero (1.00
        // over 150: 149 × 0.01, then −0.49): such a schedule is refused, not stored.
        if let negative = scheduled.installments.firstIndex(where: { ($0.quantity ?? 0) < 0 || ($0.revenue ?? 0) < 0 })
        {
            throw ValidationFailure(
                reason: "schedule_too_fine",
                field: "\(wantsQuantity ? "quantity_schedule" : "revenue_schedule").installments",
                message: "dividing into this many installments leaves installment \(negative + 1) below zero; "
                    + "use fewer installments")
        }
        let installments = scheduled.installments.enumerated().map { position, installment in
            ScheduleInstallmentRecord(
                itemID: item.id, position: position, date: installment.date,
                quantity: installment.quantity.map(hundredths),
                revenue: installment.revenue.map { Money(minorUnits: $0, currency: currency).description })
        }
        return Plan(
            type: type, request: String(decoding: try JSONEncoder().encode(stored), as: UTF8.self),
            quantity: scheduled.quantity.map { Decimal6(scaled: $0 * 10_000) } ?? line.quantity,
            amount: Money(minorUnits: scheduled.revenue, currency: currency).description, installments: installments)
    }

    private static func spread(
        _ input: ScheduleSpreadInput, value: Int64, field: String
    ) throws
        -> ScheduledLine.Spread
    {
        guard let mode = ScheduledLine.Mode(rawValue: input.mode) else {
            throw ValidationFailure(
                reason: "invalid_schedule_mode", field: "\(field).mode", message: "the mode is divide or repeat")
        }
        guard let period = ProductSchedule.Period(rawValue: input.period) else {
            throw ValidationFailure(
                reason: "invalid_schedule_period", field: "\(field).period",
                message: "the period is daily, weekly, monthly, quarterly or yearly")
        }
        try ProductSchedule.validate(installments: input.installments, field: "\(field).installments")
        guard let start = input.startDate else { throw missing("\(field).start_date", "dated") }
        return ScheduledLine.Spread(mode: mode, period: period, count: input.installments, start: start, value: value)
    }

    /// An amount in the currency's minor units; more decimals than the currency has are refused.
    private static func minorUnits(_ amount: Decimal6, currency: Currency) throws -> Int64 {
        let step = power10(6 - currency.exponent)
        guard amount > .zero, amount.scaled % step == 0 else {
            throw ValidationFailure(
                reason: "invalid_amount", field: "revenue_schedule.amount",
                message: "a scheduled amount is more than 0, with at most \(currency.exponent) decimals")
        }
        return amount.scaled / step
    }

    private static func power10(_ exponent: Int) -> Int64 {
        (0..<max(0, exponent)).reduce(Int64(1)) { value, _ in value * 10 }
    }

    /// Hundredths as a quantity with two decimals: 2000 → "20.00".
    private static func hundredths(_ value: Int64) -> String {
        let magnitude = value.magnitude
        let cents = magnitude % 100
        return "\(value < 0 ? "-" : "")\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    private static func missing(_ field: String, _ type: String) -> ValidationFailure {
        ValidationFailure(reason: "schedule_required", field: field, message: "a \(type) schedule needs \(field)")
    }

    private static func unexpected(_ field: String, _ type: String) -> ValidationFailure {
        ValidationFailure(reason: "invalid_schedule", field: field, message: "a \(type) schedule takes no \(field)")
    }
}
