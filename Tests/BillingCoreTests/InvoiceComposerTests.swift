import BillingCore
import Testing

/// BILLING.md §8–9 through the composer that invoice runs use.
@Suite struct InvoiceComposerTests {
    private let eur = try! Currency(code: "EUR")
    private let usd = try! Currency(code: "USD")
    private func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    private func transaction(
        _ id: Int64, invoicer: Int64 = 1, cents: Int64, currency: Currency? = nil, terms: Int = 30,
        group: String? = nil, type: String = "invoice", category: String = "standard"
    ) -> BillableTransaction {
        BillableTransaction(
            id: id, invoicerAccountID: invoicer, amount: Money(minorUnits: cents, currency: currency ?? eur),
            paymentTermsDays: terms, billGroup: group, documentType: type, description: "Item \(id)",
            periodStart: nil, periodEnd: nil, quantity: d("1"), unitPrice: nil, taxCategory: category)
    }

    private func frenchRates(_ treatment: TaxTreatment, _ category: String) -> [TaxCalculation.Rate] {
        guard case .standard = treatment else { return [] }
        return [TaxCalculation.Rate(category: category, percent: category == "reduced" ? d("5.5") : d("20"))]
    }

    @Test func oneDocumentPerKeyWithTaxPerRateAndTotals() throws {
        let france = try CountryCode("FR")
        let documents = try InvoiceComposer.compose(
            [
                transaction(1, cents: 10_000), transaction(2, cents: 3_333),
                transaction(3, cents: 5_000, category: "reduced"),
                transaction(4, cents: 700, currency: usd), transaction(5, cents: 900, group: "emea"),
                transaction(6, invoicer: 2, cents: 100), transaction(7, cents: 200, type: "sales_order"),
            ],
            invoiceDate: day("2026-11-23"), treatment: { _ in .standard(country: france) }, rates: frenchRates)
        #expect(documents.map { $0.lines.map(\.transactionID) } == [[1, 2, 3], [4], [5], [6], [7]])
        let first = documents[0]
        // BILLING.md §8: 100.00 + 33.33 at 20% and 50.00 at 5.5% → 26.67 + 2.75 = 29.42.
        #expect(first.subtotal.description == "183.33" && first.taxTotal.description == "29.42")
        #expect(first.total.description == "212.75" && first.notes.isEmpty)
        #expect(first.dueDate == day("2026-12-23"))
        #expect(documents[4].dueDate == nil)
        #expect(documents.allSatisfy { $0.total.minorUnits == $0.subtotal.minorUnits + $0.taxTotal.minorUnits })
    }

    @Test func dueDatesFollowTheDocumentType() {
        let key = transaction(1, cents: 1, terms: 45).documentKey
        // BILLING.md §9: 2018-03-01 net 45 → 2018-04-15.
        #expect(InvoiceComposer.dueDate(key, invoiceDate: day("2018-03-01")) == day("2018-04-15"))
        let receipt = transaction(1, cents: 1, terms: 45, type: "sales_receipt").documentKey
        #expect(InvoiceComposer.dueDate(receipt, invoiceDate: day("2018-03-01")) == day("2018-03-01"))
    }

    @Test func exemptAndReverseChargeDocumentsCarryNoTaxAndTheirMention() throws {
        let documents = try InvoiceComposer.compose(
            [transaction(1, invoicer: 1, cents: 10_000), transaction(2, invoicer: 2, cents: 10_000)],
            invoiceDate: day("2026-11-23"),
            treatment: { $0 == 1 ? .exempt(reason: "Article 261 D du CGI") : .reverseCharge }, rates: frenchRates)
        #expect(documents.map(\.taxTotal.minorUnits) == [0, 0])
        #expect(documents.map { $0.lines[0].taxCategory } == ["E", "AE"])
        #expect(documents.map(\.notes) == [["Article 261 D du CGI"], ["Reverse charge"]])
        #expect(documents.map(\.total.description) == ["100.00", "100.00"])
    }
}
