/// A document an invoice run computed: lines, tax breakdown and totals, not yet numbered.
public struct DraftDocument: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public let transactionID: Int64
        public let description: String
        public let periodStart: CalendarDate?
        public let periodEnd: CalendarDate?
        public let quantity: Decimal6
        public let unitPrice: Decimal6?
        public let amount: Money
        public let taxCategory: String
        /// The rates applied, in percent (several when compound); empty when untaxed.
        public let taxRates: [TaxCalculation.Rate]
    }

    public let key: DocumentKey
    public let invoiceDate: CalendarDate
    /// Invoices: the invoice date plus the payment terms; sales receipts are issued paid (due on
    /// the invoice date); sales orders are no receivable (nil).
    public let dueDate: CalendarDate?
    public let lines: [Line]
    public let taxBreakdown: [TaxCalculation.Breakdown]
    public let subtotal: Money
    public let taxTotal: Money
    public let total: Money
    /// Printed on the document: an exemption reason, "Reverse charge".
    public let notes: [String]
}
