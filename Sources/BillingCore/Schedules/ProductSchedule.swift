/// Opportunity line-item schedules (BILLING.md §6): a quantity or revenue spread over dated
/// installments, divided (the last installment takes the rounding remainder) or repeated.
public enum ProductSchedule {
    public enum Period: String, CaseIterable, Sendable {
        case daily, weekly, monthly, quarterly, yearly
    }

    public static let maximumInstallments = 150

    public static func validate(installments count: Int, field: String = "installments") throws(ValidationFailure) {
        guard (1...maximumInstallments).contains(count) else {
            throw ValidationFailure(
                reason: "invalid_installments", field: field,
                message: "a schedule has 1 to \(maximumInstallments) installments")
        }
    }

    /// Installment `i` is dated `start` + i periods; months keep the start's day, clamped to short
    /// months as in §1 (Jan 31, Feb 28, Mar 31).
    public static func dates(start: CalendarDate, period: Period, count: Int) -> [CalendarDate] {
        (0..<count).compactMap { index in
            switch period {
            case .daily: start.adding(days: index)
            case .weekly: start.adding(days: 7 * index)
            case .monthly: start.dayOfMonth(start.day, monthsLater: index)
            case .quarterly: start.dayOfMonth(start.day, monthsLater: 3 * index)
            case .yearly: start.dayOfMonth(start.day, monthsLater: 12 * index)
            }
        }
    }

    /// Divides `total` (in its smallest step: cents for revenue, hundredths for quantity) into
    /// `count` installments: each but the last is `round(total / count)` half away from zero, the
    /// last is what remains, so they sum to the total exactly.
    public static func divide(_ total: Int64, into count: Int) -> [Int64] {
        guard count > 0 else { return [] }
        let divisor = Int64(count)
        let (quotient, remainder) = total.quotientAndRemainder(dividingBy: divisor)
        let share = remainder.magnitude * 2 >= divisor.magnitude ? quotient + (total < 0 ? -1 : 1) : quotient
        return Array(repeating: share, count: count - 1) + [total - share * (divisor - 1)]
    }

    /// Every installment carries `amount`; the line's total becomes `amount × count`.
    public static func repeating(_ amount: Int64, count: Int) -> [Int64] {
        Array(repeating: amount, count: max(0, count))
    }
}
