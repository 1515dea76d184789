import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Writes the billing transactions of order items (BILLING.md §1–5) inside the caller's
/// transaction: at activation, and when the daily job extends open-ended items' horizon.
struct ItemBiller {
    let transaction: TenantTransaction

    /// Open-ended recurring items have transactions for the periods that start within this many
    /// months of the day they are written.
    static let horizonMonths = 12

    /// The last day periods may start on for transactions written on `day`.
    static func horizon(from day: CalendarDate) -> CalendarDate {
        day.dayOfMonth(day.day, monthsLater: horizonMonths) ?? day
    }

    /// The transactions `item` produces when activated on `activation` under `process`, and, for an
    /// open-ended recurring item, the day its periods are written through.
    static func plan(
        _ item: OrderItemRecord, process: BillingProcessRecord, currency: Currency, activation: CalendarDate
    ) throws -> (transactions: [PlannedTransaction], billedThrough: CalendarDate?) {
        let fullCharge = Pricing.exactCharge(
            quantity: item.quantity, model: item.terms.model, includedQuantity: item.terms.includedQuantity)
        switch process.kind {
        case "recurring":
            let schedule = RecurringSchedule(
                start: item.startDate, end: item.endDate, billingDay: item.billingDay,
                frequency: process.frequency ?? .monthly)
            let through = item.endDate ?? horizon(from: max(activation, item.startDate))
            let planned = try ItemBilling.recurring(
                schedule, timing: process.timing, fullPeriod: fullCharge, currency: currency, through: through)
            return (planned, item.endDate == nil ? through : nil)
        case "one_time":
            let total = try Money.rounding(fullCharge, fractionalDigits: 12, to: currency)
            return ([ItemBilling.oneTime(total, on: item.serviceDate ?? activation)], nil)
        case "installments":
            let total = try Money.rounding(fullCharge, fractionalDigits: 12, to: currency)
            return (try ItemBilling.installments(total, steps: try steps(of: process), activatedOn: activation), nil)
        default:
            return ([], nil)
        }
    }

    /// The plan of an installments process as steps.
    static func steps(of process: BillingProcessRecord) throws -> [InstallmentStep] {
        try planSteps(of: process).map(\.step)
    }

    /// The plan of an installments process: the column holds the wire's `plan`.
    static func planSteps(of process: BillingProcessRecord) throws -> [PlanStep] {
        try JSONDecoder().decode([PlanStep].self, from: Data((process.plan ?? "[]").utf8))
    }

    /// Writes more periods of an open-ended recurring item, through the horizon seen from `today`;
    /// periods it already has are skipped. Returns how many transactions were added.
    func extend(
        _ item: OrderItemRecord, process: BillingProcessRecord, order: OrderRecord, today: CalendarDate
    ) async throws -> Int {
        let currency = try Currency(code: order.currency)
        let through = Self.horizon(from: today)
        let schedule = RecurringSchedule(
            start: item.startDate, end: item.endDate, billingDay: item.billingDay,
            frequency: process.frequency ?? .monthly)
        let fullCharge = Pricing.exactCharge(
            quantity: item.quantity, model: item.terms.model, includedQuantity: item.terms.includedQuantity)
        let planned = try ItemBilling.recurring(
            schedule, timing: process.timing, fullPeriod: fullCharge, currency: currency, through: through)
        let added = try await BillingTransactionRepository(transaction).add(
            planned, item: item, accountID: order.accountID)
        try await OrderRepository(transaction).setBilledThrough(itemID: item.id, through)
        return added
    }
}

extension PlanStep {
    var step: InstallmentStep {
        if let milestone { return InstallmentStep(percent: percent, due: .milestone(milestone)) }
        if let offsetMonths { return InstallmentStep(percent: percent, due: .months(offsetMonths)) }
        return InstallmentStep(percent: percent, due: .days(offsetDays ?? 0))
    }
}
