import BillingCore
import BillingDocuments
import BillingProtocol
import BillingStore
import Foundation

/// Turns invoices, credit notes and quotes into PDFs (EU Directive 2006/112/EC art. 226): the
/// document as `invoices.get` and `quotes.get` show it, with the seller (the tenant's legal
/// entity) and the buyer (the account addressed, with its tax account's VAT number).
public struct DocumentPrinter: Sendable {
    let store: BillingStore
    let renderer: PDFRenderer

    public init(store: BillingStore, renderer: PDFRenderer = PDFRenderer()) {
        self.store = store
        self.renderer = renderer
    }

    public func invoice(_ params: IdentifiedBy, tenant: TenantID) async throws -> RenderedPDF {
        let document = try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            guard let id = Int64(params.id), let record = try await InvoiceRepository(transaction).find(id: id) else {
                throw RPCError(.notFound, "no invoice \(params.id)")
            }
            let invoice = try await InvoiceService.wire([record], in: transaction)[0]
            var corrected: String?
            if let original = record.creditedInvoiceID {
                corrected = try await InvoiceRepository(transaction).find(id: original)?.number
            }
            return try await Self.printable(invoice, correcting: corrected, in: transaction)
        }
        return RenderedPDF(contentBase64: Data(try renderer.render(document)).base64EncodedString())
    }

    public func quote(_ params: IdentifiedBy, tenant: TenantID) async throws -> RenderedPDF {
        let document = try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            guard let id = Int64(params.id), let record = try await QuoteRepository(transaction).find(id: id) else {
                throw RPCError(.notFound, "no quote \(params.id)")
            }
            let quote = try await QuoteService.wire(record, in: transaction)
            let (seller, buyer) = try await Self.parties(accountID: record.accountID, in: transaction)
            return PrintableDocument(
                title: "Quote", number: "Q-\(quote.id)",
                facts: [
                    ("Date", String(quote.createdAt.prefix(10))), ("Valid until", quote.expiresOn.description),
                    ("Start of supply", quote.taxDate.description),
                ],
                seller: seller, buyer: buyer, currency: quote.currency,
                lines: quote.lines.map { line in
                    PrintableDocument.Line(
                        description: line.description
                            + (line.discountPercent == .zero ? "" : " (less \(line.discountPercent)%)"),
                        period: nil, quantity: line.quantity.description,
                        unitPrice: line.unitPrice?.description ?? line.pricingModel, vatRate: line.taxCategory,
                        amount: line.amount)
                },
                vat: quote.taxBreakdown.map { Self.vatRow($0) }, subtotal: quote.subtotal, taxTotal: quote.taxTotal,
                total: quote.total, notes: quote.notes)
        }
        return RenderedPDF(contentBase64: Data(try renderer.render(document)).base64EncodedString())
    }

    static func printable(
        _ invoice: Invoice, correcting original: String?, in transaction: TenantTransaction
    ) async throws -> PrintableDocument {
        guard let accountID = Int64(invoice.accountId) else { throw RPCError(.notFound, "no account") }
        let (seller, buyer) = try await parties(accountID: accountID, in: transaction)
        let title =
            switch invoice.type {
            case "credit_note": "Credit note"
            case "sales_order": "Sales order"
            case "sales_receipt": "Sales receipt"
            default: "Invoice"
            }
        var facts: [(String, String)] = [("Issue date", invoice.invoiceDate.description)]
        let starts = invoice.lines.compactMap(\.periodStart)
        let ends = invoice.lines.compactMap(\.periodEnd)
        if let first = starts.min(), let last = ends.max() {
            facts.append(("Supply", "\(first) to \(last)"))
        } else {
            facts.append(("Supply date", invoice.invoiceDate.description))
        }
        if let due = invoice.dueDate, invoice.type == "invoice" {
            facts.append(("Due date", due.description))
            facts.append(("Payment terms", "net \(invoice.invoiceDate.daysThrough(due) - 1) days"))
        }
        var notes = invoice.notes
        if let original { notes.insert("Credit note for invoice \(original)", at: 0) }
        return PrintableDocument(
            title: title, number: invoice.number ?? "Draft", facts: facts, seller: seller, buyer: buyer,
            currency: invoice.currency,
            lines: invoice.lines.map { line in
                PrintableDocument.Line(
                    description: line.description,
                    period: line.periodStart.map { start in
                        "\(start) to \(line.periodEnd?.description ?? start.description)"
                    },
                    quantity: line.quantity.description, unitPrice: line.unitPrice?.description ?? "",
                    vatRate: line.taxRate.map { "\($0)%" } ?? line.taxCategory, amount: line.amount)
            },
            vat: invoice.taxBreakdown.map(vatRow), subtotal: invoice.subtotal, taxTotal: invoice.taxTotal,
            total: invoice.total, notes: notes)
    }

    static func vatRow(_ row: TaxBreakdownRow) -> PrintableDocument.VATRow {
        PrintableDocument.VATRow(label: "VAT \(row.rate)% (\(row.category))", base: row.base, amount: row.amount)
    }

    /// The seller (the tenant's legal entity) and the buyer (the account, with the VAT number of
    /// its effective tax account).
    static func parties(
        accountID: Int64, in transaction: TenantTransaction
    ) async throws
        -> (PrintableDocument.Party, PrintableDocument.Party)
    {
        let tenant = try await InvoiceRunRepository(transaction).seller()
        let accounts = AccountRepository(transaction)
        let chain = try await accounts.chain(endingAt: accountID)
        guard let account = chain.last else { throw RPCError(.notFound, "no account \(accountID)") }
        let taxAccountID = HierarchyResolution.effective(alongChain: chain.map(\.node))?.taxAccountID ?? account.id
        let taxAccount = taxAccountID == account.id ? account : try await accounts.find(id: taxAccountID) ?? account
        return (
            PrintableDocument.Party(
                name: tenant.name, address: lines(of: tenant.address) ?? [tenant.country],
                vatNumber: tenant.vatNumber),
            PrintableDocument.Party(
                name: account.name, address: lines(of: account.address) ?? [], vatNumber: taxAccount.taxVATNumber)
        )
    }

    /// The printed lines of a stored postal address; nil when none is stored.
    static func lines(of json: String?) -> [String]? {
        guard let json, let postal = try? JSONDecoder().decode(Address.self, from: Data(json.utf8)) else { return nil }
        return [postal.line1] + (postal.line2.map { [$0] } ?? []) + [
            "\(postal.postalCode) \(postal.city)", postal.country,
        ]
    }
}
