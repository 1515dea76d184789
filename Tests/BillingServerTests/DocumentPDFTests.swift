import BillingClient
import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import Foundation
import TestSupport
import Testing

/// Invoices, credit notes and quotes as PDFs: rendered, read back with pdftotext, and every field
/// art. 226 of the VAT directive asks for found.
@Suite struct DocumentPDFTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// The text of a base64 PDF, as `pdftotext -layout` reads it.
    func text(of pdf: RenderedPDF) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("doc-\(UUID()).pdf")
        try #require(Data(base64Encoded: pdf.contentBase64)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await Program.run("/usr/bin/env", ["pdftotext", "-layout", file.path, "-"])
    }

    @Test func anInvoiceItsCreditNoteAndAQuotePrintEveryRequiredField() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient(
            name: "Ledger Ärger",
            legalEntityAddress: Address(line1: "8 quai Saint-Vincent", city: "Lyon", postalCode: "69001", country: "FR")
        )
        _ = try await client.call(
            TaxRatesCreate.self,
            .init(country: "FR", taxCategory: "standard", rate: d("20"), validFrom: day("2020-01-01")))
        let product = try await client.call(
            ProductsCreate.self,
            .init(
                code: "SVC", name: "Conseil",
                services: [ProductService(code: "day", name: "Journée", kind: "recurring")]))
        let monthly = try await client.call(
            BillingProcessesCreate.self, .init(name: "Monthly", kind: "recurring", frequency: "monthly"))
        let buyer = try await client.call(
            AccountsCreate.self,
            .init(
                name: "Société Générale d'Été", currency: "EUR", billingDay: 1, paymentTermsDays: 30,
                tax: AccountTax(country: "FR", vatNumber: "FR40303265045"),
                address: Address(line1: "29 boulevard Haussmann", city: "Paris", postalCode: "75009", country: "FR")))
        let items = (1...60).map { index in
            OrderItemInput(
                productId: product.id, quantity: d(String(index)), unitPrice: d("12.5"), billingProcessId: monthly.id)
        }
        let order = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: buyer.id, type: "subscription", startDate: day("2026-01-01"), endDate: day("2026-01-31"),
                items: items))
        _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2026-01-01")))
        let run = try await client.call(
            InvoiceRunsStart.self, .init(targetDate: day("2026-01-31"), invoiceDate: day("2026-01-31"), autoPost: true)
        ).run
        let store = BillingStore(pool: try await TestDatabase.shared.appPool())
        try await InvoiceRunner(store: store).run(
            try #require(Int64(run.id)), tenant: try #require(TenantID(tenant.tenant.id)))
        await store.pool.close()
        let invoice = try #require(try await client.call(InvoicesList.self, .init(runId: run.id)).items.first)
        // 60 lines of 12.50 × 1…60 = 12.50 × 1,830 = 22,875.00; VAT 20% 4,575.00; total 27,450.00.
        #expect(invoice.subtotal == "22875.00" && invoice.taxTotal == "4575.00" && invoice.total == "27450.00")

        let printed = try await text(of: try await client.call(InvoicesPDF.self, .init(id: invoice.id)))
        for expected in [
            "Invoice INV-2026-000001", "Ledger Ärger SAS", "8 quai Saint-Vincent", "69001 Lyon",
            "Bill to: Société Générale d'Été", "29 boulevard Haussmann",
            "75009 Paris", "VAT number: FR40303265045", "Issue date: 2026-01-31", "Supply: 2026-01-01 to 2026-01-31",
            "Due date: 2026-03-02", "Payment terms: net 30 days", "Conseil – Journée", "12.5", "750.00", "20%",
            "VAT 20% (standard) on 22875.00", "4575.00", "Net total", "22875.00", "Total (EUR)", "27450.00", "page 2",
        ] {
            #expect(printed.contains(expected), "\(expected)")
        }
        // Long documents continue over pages, each with the title and the column heads again.
        #expect(printed.components(separatedBy: "Invoice INV-2026-000001").count - 1 >= 2)
        #expect(printed.components(separatedBy: "Unit price").count - 1 >= 2)

        let voided = try await client.call(InvoicesVoid.self, .init(id: invoice.id))
        let credit = try #require(voided.creditNote)
        let creditText = try await text(of: try await client.call(InvoicesPDF.self, .init(id: credit.id)))
        for expected in ["Credit note CN-", "Credit note for invoice INV-2026-000001", "-27450.00", "-4575.00"] {
            #expect(creditText.contains(expected), "\(expected)")
        }

        let opportunity = try await client.call(
            OpportunitiesCreate.self,
            .init(
                accountId: buyer.id, name: "Renouvellement", closeDate: day("2027-01-01"),
                items: [
                    OpportunityItemInput(
                        productId: product.id, quantity: d("4"), unitPrice: d("100"), discountPercent: d("10"),
                        billingProcessId: monthly.id)
                ]))
        let quote = try await client.call(
            QuotesCreate.self, .init(opportunityId: opportunity.id, expiresOn: day("2099-01-01")))
        let quoteText = try await text(of: try await client.call(QuotesPDF.self, .init(id: quote.id)))
        for expected in ["Quote Q-\(quote.id)", "Valid until: 2099-01-01", "less 10%", "360.00", "72.00", "432.00"] {
            #expect(quoteText.contains(expected), "\(expected)")
        }
    }
}
