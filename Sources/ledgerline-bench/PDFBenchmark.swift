import BillingDocuments
import Foundation

/// Figure 6: rendering a 500-line invoice as a PDF (libharu, embedded font), against the issue's
/// one second; no database.
struct PDFBenchmark {
    let lines = 500
    let documents = 10

    func run() async throws -> [Figure] {
        let party = PrintableDocument.Party(
            name: "Société Générale d'Été", address: ["29 boulevard Haussmann", "75009 Paris", "FR"],
            vatNumber: "FR40303265045")
        let document = PrintableDocument(
            title: "Invoice", number: "INV-2026-000001",
            facts: [("Issue date", "2026-01-31"), ("Due date", "2026-03-02"), ("Payment terms", "net 30 days")],
            seller: party, buyer: party, currency: "EUR",
            lines: (1...lines).map { index in
                PrintableDocument.Line(
                    description: "Conseil – Journée \(index)", period: "2026-01-01 to 2026-01-31", quantity: "\(index)",
                    unitPrice: "12.5", vatRate: "20%", amount: "\(index * 12).50")
            },
            vat: [PrintableDocument.VATRow(label: "VAT 20% (standard)", base: "1000.00", amount: "200.00")],
            subtotal: "1000.00", taxTotal: "200.00", total: "1200.00", notes: [])
        let renderer = PDFRenderer()
        var bytes = 0
        let seconds = try await Figure.time {
            for _ in 0..<documents { bytes = try renderer.render(document).count }
        }
        return [
            Figure(
                name: "pdf_render",
                values: [
                    "lines": lines, "documents": documents,
                    "ms_per_document": Figure.round(seconds * 1000 / Double(documents)),
                    "bytes": bytes, "target_ms": 1000,
                ])
        ]
    }
}
