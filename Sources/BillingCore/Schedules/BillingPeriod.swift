/// One billing period of a recurring item: the days it bills, within the boundary-to-boundary
/// period that prorates it (BILLING.md §1–2).
public struct BillingPeriod: Hashable, Sendable {
    public let start: CalendarDate
    public let end: CalendarDate
    /// The full period from one boundary to the day before the next that contains this one; the
    /// same as `start…end` unless a stub start or an end date cut it.
    public let fullStart: CalendarDate
    public let fullEnd: CalendarDate

    public init(start: CalendarDate, end: CalendarDate, fullStart: CalendarDate, fullEnd: CalendarDate) {
        self.start = start
        self.end = end
        self.fullStart = fullStart
        self.fullEnd = fullEnd
    }

    /// Days billed, both ends counted.
    public var days: Int { start.daysThrough(end) }

    public var fullDays: Int { fullStart.daysThrough(fullEnd) }

    public var isFull: Bool { start == fullStart && end == fullEnd }

    /// `round(price × days / full days)` for `quantity` at `unitPrice` (the price of one full
    /// period), computed exactly and rounded once.
    public func charge(unitPrice: Decimal6, quantity: Decimal6, currency: Currency) throws(MoneyOverflow) -> Money {
        try charge(fullPeriod: Int128(unitPrice.scaled) * Int128(quantity.scaled), currency: currency)
    }

    /// This period's share of `fullPeriod` (an exact amount with twelve implied decimals, such as
    /// `Pricing.exactCharge`): `round(fullPeriod × days / full days)`, BILLING.md §2.
    public func charge(fullPeriod: Int128, currency: Currency) throws(MoneyOverflow) -> Money {
        try Self.charge(fullPeriod: fullPeriod, days: days, of: fullDays, currency: currency)
    }

    public static func charge(
        fullPeriod: Int128, days: Int, of fullDays: Int, currency: Currency
    ) throws(MoneyOverflow) -> Money {
        let amount = try Money.checkedProduct(fullPeriod, Int128(days))
        return try Money.rounding(amount, over: Int128(fullDays), fractionalDigits: 12, to: currency)
    }

    /// When the period's transaction is dated: its first day in advance, the day after its last in arrears.
    public func billingDate(_ timing: BillingTiming) -> CalendarDate? {
        switch timing {
        case .advance: start
        case .arrears: end.adding(days: 1)
        }
    }
}

/// Whether a period is billed at its start or after its end (BILLING.md §3).
public enum BillingTiming: String, Sendable, CaseIterable {
    case advance
    case arrears
}
