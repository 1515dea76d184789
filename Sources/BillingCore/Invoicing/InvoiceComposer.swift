/// Turns due billing transactions into documents (BILLING.md §8–9): groups them by document key,
/// one line per transaction, tax per document per rate, totals and due date. Pure: the run feeds
/// it batches of transactions and writes what it returns.
public enum InvoiceComposer {
    /// The rates for a tax category under a treatment on the invoice date (empty: untaxed).
    public typealias RateLookup = (_ treatment: TaxTreatment, _ category: String) -> [TaxCalculation.Rate]

    public static func compose(
        _ transactions: [BillableTransaction], invoiceDate: CalendarDate,
        treatment: (_ invoicerAccountID: Int64) -> TaxTreatment, rates: RateLookup
    ) throws(MoneyOverflow) -> [DraftDocument] {
        var order: [DocumentKey] = []
        var groups: [DocumentKey: [BillableTransaction]] = [:]
        for transaction in transactions {
            let key = transaction.documentKey
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(transaction)
        }
        var documents: [DraftDocument] = []
        for key in order {
            guard let members = groups[key], let currency = members.first?.amount.currency else { continue }
            let applied = treatment(key.invoicerAccountID)
            let lines = members.map { transaction in
                DraftDocument.Line(
                    transactionID: transaction.id, description: transaction.description,
                    periodStart: transaction.periodStart, periodEnd: transaction.periodEnd,
                    quantity: transaction.quantity, unitPrice: transaction.unitPrice, amount: transaction.amount,
                    taxCategory: category(transaction.taxCategory, under: applied),
                    taxRates: rates(applied, transaction.taxCategory))
            }
            let breakdown = try TaxCalculation.breakdown(
                lines.map { TaxCalculation.Line(net: $0.amount, rates: $0.taxRates) }, currency: currency)
            let subtotal = try Money.sum(lines.map(\.amount.minorUnits))
            let tax = try Money.sum(breakdown.map(\.amount.minorUnits))
            documents.append(
                DraftDocument(
                    key: key, invoiceDate: invoiceDate, dueDate: dueDate(key, invoiceDate: invoiceDate), lines: lines,
                    taxBreakdown: breakdown, subtotal: Money(minorUnits: subtotal, currency: currency),
                    taxTotal: Money(minorUnits: tax, currency: currency),
                    total: Money(minorUnits: try Money.sum([subtotal, tax]), currency: currency),
                    notes: applied.mention.map { [$0] } ?? []))
        }
        return documents
    }

    /// BILLING.md §9: an invoice is due its payment terms after the invoice date (2018-03-01 net
    /// 45 → 2018-04-15); a sales receipt is paid on issue; a sales order is no receivable.
    public static func dueDate(_ key: DocumentKey, invoiceDate: CalendarDate) -> CalendarDate? {
        switch key.documentType {
        case "invoice": invoiceDate.adding(days: key.paymentTermsDays)
        case "sales_receipt": invoiceDate
        default: nil
        }
    }

    /// The category printed on a line: E for an exempt buyer, AE under reverse charge.
    static func category(_ category: String, under treatment: TaxTreatment) -> String {
        switch treatment {
        case .standard: category
        case .exempt: "E"
        case .reverseCharge: "AE"
        }
    }

}
