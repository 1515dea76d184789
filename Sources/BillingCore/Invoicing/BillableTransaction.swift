/// A pending billing transaction as an invoice run sees it: its amount, what it is for, and the
/// settings of the account that is invoiced for it.
public struct BillableTransaction: Hashable, Sendable {
    public let id: Int64
    /// The account the document goes to: the effective subscription invoicer (or usage invoice
    /// recipient) of the transaction's account.
    public let invoicerAccountID: Int64
    public let amount: Money
    public let paymentTermsDays: Int
    public let billGroup: String?
    /// invoice | sales_order | sales_receipt, from the order's `generate`.
    public let documentType: String
    public let description: String
    public let periodStart: CalendarDate?
    public let periodEnd: CalendarDate?
    public let quantity: Decimal6
    public let unitPrice: Decimal6?
    public let taxCategory: String

    public init(
        id: Int64, invoicerAccountID: Int64, amount: Money, paymentTermsDays: Int, billGroup: String?,
        documentType: String, description: String, periodStart: CalendarDate?, periodEnd: CalendarDate?,
        quantity: Decimal6, unitPrice: Decimal6?, taxCategory: String
    ) {
        self.id = id
        self.invoicerAccountID = invoicerAccountID
        self.amount = amount
        self.paymentTermsDays = paymentTermsDays
        self.billGroup = billGroup
        self.documentType = documentType
        self.description = description
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxCategory = taxCategory
    }

    /// BILLING.md §9: one document per (invoicer, currency, payment terms, bill group, legal
    /// entity, document type) per run. A tenant has one legal entity, so it is not part of the key here.
    public var documentKey: DocumentKey {
        DocumentKey(
            invoicerAccountID: invoicerAccountID, currency: amount.currency.code, paymentTermsDays: paymentTermsDays,
            billGroup: billGroup, documentType: documentType)
    }
}

/// What documents are grouped by (BILLING.md §9).
public struct DocumentKey: Hashable, Sendable {
    public let invoicerAccountID: Int64
    public let currency: String
    public let paymentTermsDays: Int
    public let billGroup: String?
    public let documentType: String
}
