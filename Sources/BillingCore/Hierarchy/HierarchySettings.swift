/// The settings an account may set for itself or leave to its parent (nil = inherit).
public struct HierarchySettings: Sendable, Equatable {
    public var subscriptionInvoicerID: Int64?
    public var usageInvoiceRecipientID: Int64?
    public var taxAccountID: Int64?
    public var paymentTermsDays: Int?
    public var billGroup: String?
    public var billingDay: Int?

    public init(
        subscriptionInvoicerID: Int64? = nil,
        usageInvoiceRecipientID: Int64? = nil,
        taxAccountID: Int64? = nil,
        paymentTermsDays: Int? = nil,
        billGroup: String? = nil,
        billingDay: Int? = nil
    ) {
        self.subscriptionInvoicerID = subscriptionInvoicerID
        self.usageInvoiceRecipientID = usageInvoiceRecipientID
        self.taxAccountID = taxAccountID
        self.paymentTermsDays = paymentTermsDays
        self.billGroup = billGroup
        self.billingDay = billingDay
    }
}

/// What actually applies to an account after inheritance (BILLING.md §10).
public struct EffectiveSettings: Sendable, Equatable {
    public let subscriptionInvoicerID: Int64
    public let usageInvoiceRecipientID: Int64
    public let taxAccountID: Int64
    public let paymentTermsDays: Int
    /// Nil when no account up the hierarchy names a bill group.
    public let billGroup: String?
    /// Nil when no account up the hierarchy sets one: recurring items then bill on their start day.
    public let billingDay: Int?

    public init(
        subscriptionInvoicerID: Int64,
        usageInvoiceRecipientID: Int64,
        taxAccountID: Int64,
        paymentTermsDays: Int,
        billGroup: String?,
        billingDay: Int?
    ) {
        self.subscriptionInvoicerID = subscriptionInvoicerID
        self.usageInvoiceRecipientID = usageInvoiceRecipientID
        self.taxAccountID = taxAccountID
        self.paymentTermsDays = paymentTermsDays
        self.billGroup = billGroup
        self.billingDay = billingDay
    }
}
