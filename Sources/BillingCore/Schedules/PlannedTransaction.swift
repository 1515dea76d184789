/// A billing transaction as the rules compute it, before it is stored. `key` names it among its
/// item's transactions (`period:2026-03-01`, `one_time`, `installment:2`, `credit:2026-03-01`),
/// so writing the same plan twice stores it once.
public struct PlannedTransaction: Hashable, Sendable {
    public let key: String
    /// recurring | one_time | installment | credit
    public let kind: String
    /// nil while it waits for its milestone.
    public let billingDate: CalendarDate?
    public let periodStart: CalendarDate?
    public let periodEnd: CalendarDate?
    public let amount: Money
    public let milestone: String?

    public init(
        key: String, kind: String, billingDate: CalendarDate?, periodStart: CalendarDate?, periodEnd: CalendarDate?,
        amount: Money, milestone: String? = nil
    ) {
        self.key = key
        self.kind = kind
        self.billingDate = billingDate
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.amount = amount
        self.milestone = milestone
    }
}
