import BillingCore
import BillingStore

/// Ends an active item on a day (BILLING.md §3): pending transactions after the end are
/// cancelled, the pending period containing it is cut to end there, and what was already invoiced
/// beyond the end is credited (prorated by days) unless the process's credit policy is `none`.
struct ItemTermination {
    let transaction: TenantTransaction

    func terminate(
        _ item: OrderItemRecord, process: BillingProcessRecord, accountID: Int64, currency: Currency,
        on end: CalendarDate
    ) async throws {
        let transactions = BillingTransactionRepository(transaction)
        if process.kind == "usage" {
            // Usage is dated after its period: only periods starting after the end are not billed.
            let later = try await transactions.of(itemID: item.id).filter {
                $0.status == "pending" && ($0.periodStart.map { $0 > end } ?? false)
            }
            try await transactions.cancel(ids: later.map(\.id))
            try await UsageRepository(transaction).cutPeriods(itemID: item.id, endingOn: end)
            return
        }
        guard process.kind == "recurring" else {
            let existing = try await transactions.of(itemID: item.id)
            let later = existing.filter { $0.status == "pending" && ($0.billingDate.map { $0 > end } ?? true) }
            try await transactions.cancel(ids: later.map(\.id))
            return
        }
        let credits = process.creditPolicy == "prorate"
        let fullCharge = Pricing.exactCharge(
            quantity: item.quantity, model: item.terms.model, includedQuantity: item.terms.includedQuantity)
        let frequency = process.frequency ?? .monthly
        // An open-ended item ending beyond its written horizon first gets its periods up to the end.
        let throughEnd = RecurringSchedule(
            start: item.startDate, end: end, billingDay: item.billingDay, frequency: frequency)
        try await transactions.add(
            try ItemBilling.recurring(
                throughEnd, timing: process.timing, fullPeriod: fullCharge, currency: currency, through: end),
            item: item, accountID: accountID)
        let existing = try await transactions.of(itemID: item.id).filter { $0.status != "cancelled" }
        let schedule = RecurringSchedule(
            start: item.startDate, end: item.endDate, billingDay: item.billingDay, frequency: frequency)
        let lastStart = existing.compactMap(\.periodStart).max() ?? end
        let periods = Dictionary(
            schedule.periods(startingThrough: max(lastStart, end)).map { ($0.start, $0) }, uniquingKeysWith: { $1 })
        var cancelled: [Int64] = []
        var added: [PlannedTransaction] = []
        for stored in existing where stored.kind == "recurring" {
            guard let start = stored.periodStart, let period = periods[start], period.end > end else { continue }
            switch (stored.status, start > end) {
            case ("pending", true):
                cancelled.append(stored.id)
            case ("pending", false):
                let cut = BillingPeriod(
                    start: period.start, end: end, fullStart: period.fullStart, fullEnd: period.fullEnd)
                try await transactions.replace(
                    id: stored.id,
                    with: try ItemBilling.transaction(
                        for: cut, timing: process.timing, fullPeriod: fullCharge, currency: currency))
            case (_, true) where credits:
                added.append(
                    PlannedTransaction(
                        key: "credit:\(start)", kind: "credit", billingDate: end, periodStart: period.start,
                        periodEnd: period.end,
                        amount: Money(minorUnits: -stored.amount.minorUnits, currency: currency)))
            case (_, false) where credits:
                if let credit = try ItemBilling.terminationCredit(
                    for: period, endingOn: end, fullPeriod: fullCharge, currency: currency)
                {
                    added.append(credit)
                }
            default:
                continue
            }
        }
        try await transactions.cancel(ids: cancelled)
        try await transactions.add(added, item: item, accountID: accountID)
    }
}
