/// One installment of a payment plan: its percentage of the total and when it falls due.
public struct InstallmentStep: Hashable, Sendable {
    public enum Due: Hashable, Sendable {
        /// Days after activation.
        case days(Int)
        /// Months after activation, on the activation's day of month (clamped to short months).
        case months(Int)
        /// When the named milestone is reached.
        case milestone(String)
    }

    public let percent: Decimal6
    public let due: Due

    public init(percent: Decimal6, due: Due) {
        self.percent = percent
        self.due = due
    }
}
