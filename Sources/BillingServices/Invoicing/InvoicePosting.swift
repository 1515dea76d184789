import BillingCore
import BillingStore

/// Posting and voiding documents (BILLING.md §9) inside the caller's transaction: posting gives a
/// draft the next number of its series (no gap, no duplicate); voiding a posted invoice issues a
/// credit note of its own series and returns the invoice's transactions to pending.
struct InvoicePosting {
    let transaction: TenantTransaction

    /// The series a document of `type` dated `day` is numbered in, e.g. `INV-2026`.
    static func series(of type: String, on day: CalendarDate) -> String {
        let prefix =
            switch type {
            case "invoice": "INV"
            case "sales_order": "SO"
            case "sales_receipt": "SR"
            default: "CN"
            }
        return "\(prefix)-\(day.year)"
    }

    static func number(in series: String, _ value: Int64) -> String {
        let digits = String(value)
        return "\(series)-\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits)"
    }

    func post(_ id: Int64) async throws -> InvoiceRecord {
        let invoices = InvoiceRepository(transaction)
        guard let invoice = try await invoices.find(id: id, forUpdate: true) else {
            throw ValidationFailure(reason: "no_invoice", message: "no invoice \(id)")
        }
        guard invoice.status == "draft" else { return invoice }
        let series = Self.series(of: invoice.type, on: invoice.invoiceDate)
        let number = Self.number(in: series, try await invoices.nextNumber(in: series))
        // A sales receipt is issued paid (BILLING.md §9).
        return try await invoices.markPosted(
            id: id, number: number, status: invoice.type == "sales_receipt" ? "paid" : "posted")
    }

    /// Voids a document; a posted one gets a credit note. Returns the voided document and the credit note.
    func void(_ invoice: InvoiceRecord, on day: CalendarDate) async throws -> (InvoiceRecord, InvoiceRecord?) {
        let invoices = InvoiceRepository(transaction)
        var credit: InvoiceRecord?
        if invoice.status != "draft" {
            let series = Self.series(of: "credit_note", on: day)
            let number = Self.number(in: series, try await invoices.nextNumber(in: series))
            let note = try await invoices.insertCreditNote(for: invoice, number: number, on: day)
            // The credit note settles what was left to pay of an invoice; what had been paid stays
            // on it as credit, to allocate to other invoices (cancel and rebill). A sales order was
            // never owed: its credit note settles it whole. A sales receipt was paid on issue: its
            // credit note is credit.
            let open =
                invoice.type == "sales_order"
                ? try InvoiceService.money(invoice.total, invoice.currency) : try InvoiceService.balance(of: invoice)
            if invoice.type != "sales_receipt", open.minorUnits > 0 {
                try await PaymentRepository(transaction).allocate(
                    payment: nil, creditNote: note.id, amounts: [(invoice.id, open)], on: day)
            }
            credit = try await invoices.find(id: note.id)
        }
        return (try await invoices.markVoid(id: invoice.id), credit)
    }
}
