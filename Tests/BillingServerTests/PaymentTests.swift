import BillingClient
import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import TestSupport
import Testing

/// Payments over the wire: allocation across invoices, unallocation, refunds, credit notes, and
/// what the account owes by statement and by age.
@Suite struct PaymentTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// A tenant with three posted invoices of one account (net 30, untaxed): 100.00 dated
    /// 2026-01-31, 250.00 dated 2026-02-28 and 40.00 dated 2026-03-31, and a sales receipt of
    /// 60.00 dated 2026-01-31.
    struct Billed {
        let client: BillingClient
        let tenantID: String
        let account: Account
        let invoices: [Invoice]
        let receipt: Invoice
    }

    func billed(_ server: RunningServer) async throws -> Billed {
        let (client, tenant) = try await server.tenantClient()
        let product = try await client.call(
            ProductsCreate.self,
            .init(
                code: "SVC", name: "Services",
                services: [ProductService(code: "setup", name: "Setup", kind: "one_time")]))
        let once = try await client.call(BillingProcessesCreate.self, .init(name: "Once", kind: "one_time"))
        let account = try await client.call(
            AccountsCreate.self, .init(name: "Customer", currency: "EUR", paymentTermsDays: 30))
        func order(_ start: String, _ price: String, generate: String? = nil) async throws {
            let created = try await client.call(
                OrdersCreate.self,
                .init(
                    accountId: account.id, type: "investment", startDate: day(start), generate: generate,
                    items: [
                        OrderItemInput(
                            productId: product.id, quantity: d("1"), unitPrice: d(price), billingProcessId: once.id,
                            startDate: day(start))
                    ]))
            _ = try await client.call(OrdersActivate.self, .init(id: created.id, activationDate: day(start)))
        }
        let tenantID = try #require(TenantID(tenant.tenant.id))
        func run(_ date: String) async throws -> [Invoice] {
            let run = try await client.call(
                InvoiceRunsStart.self, .init(targetDate: day(date), invoiceDate: day(date), autoPost: true)
            ).run
            let store = BillingStore(pool: try await TestDatabase.shared.appPool())
            try await InvoiceRunner(store: store).run(try #require(Int64(run.id)), tenant: tenantID)
            await store.pool.close()
            return try await client.call(InvoicesList.self, .init(runId: run.id)).items
        }
        try await order("2026-01-05", "100")
        try await order("2026-01-06", "60", generate: "sales_receipt")
        let january = try await run("2026-01-31")
        try await order("2026-02-05", "250")
        let february = try await run("2026-02-28")
        try await order("2026-03-05", "40")
        let march = try await run("2026-03-31")
        let invoices = (january + february + march).filter { $0.type == "invoice" }
        return Billed(
            client: client, tenantID: tenant.tenant.id, account: account, invoices: invoices,
            receipt: try #require(january.first { $0.type == "sales_receipt" }))
    }

    func invoice(_ billed: Billed, _ index: Int) async throws -> Invoice {
        try await billed.client.call(InvoicesGet.self, .init(id: billed.invoices[index].id))
    }

    @Test func allocationAcrossInvoicesRefundsAndCreditNotesKeepEveryBalanceExact() async throws {
        let server = try await RunningServer.start()
        let billed = try await billed(server)
        let client = billed.client
        #expect(billed.invoices.map(\.total) == ["100.00", "250.00", "40.00"])
        #expect(billed.invoices.map(\.status) == ["posted", "posted", "posted"])
        #expect(billed.invoices.map(\.dueDate) == [day("2026-03-02"), day("2026-03-30"), day("2026-04-30")])
        // A sales receipt is issued paid.
        #expect(billed.receipt.status == "paid" && billed.receipt.balance == "0.00")

        let payment = try await client.call(
            PaymentsRecord.self,
            .init(
                accountId: billed.account.id, amount: d("300"), method: "bank_transfer", reference: "BANK-1",
                receivedOn: day("2026-03-10")))
        #expect(payment.status == "unapplied" && payment.unallocated == "300.00" && payment.currency == "EUR")
        let allocated = try await client.call(
            PaymentsAllocate.self,
            .init(
                paymentId: payment.id,
                allocations: [
                    AllocationInput(invoiceId: billed.invoices[0].id, amount: d("100")),
                    AllocationInput(invoiceId: billed.invoices[1].id, amount: d("150")),
                ]))
        #expect(allocated.allocated == "250.00" && allocated.unallocated == "50.00")
        #expect(allocated.status == "partially_applied" && allocated.allocations.count == 2)
        var first = try await invoice(billed, 0)
        var second = try await invoice(billed, 1)
        #expect(first.status == "paid" && first.balance == "0.00")
        #expect(second.status == "partially_paid" && second.balance == "100.00" && second.amountAllocated == "150.00")

        // More than the payment has left, more than an invoice's balance, a receipt, a draft.
        let tooMuch = await rpcFailure {
            try await client.call(
                PaymentsAllocate.self,
                .init(
                    paymentId: payment.id,
                    allocations: [AllocationInput(invoiceId: billed.invoices[1].id, amount: d("60"))]))
        }
        #expect(tooMuch?.reason == "exceeds_balance" && tooMuch?.field == "allocations")
        let overInvoice = await rpcFailure {
            try await client.call(
                PaymentsAllocate.self,
                .init(
                    paymentId: payment.id,
                    allocations: [AllocationInput(invoiceId: billed.invoices[2].id, amount: d("40.01"))]))
        }
        #expect(overInvoice?.reason == "exceeds_balance" && overInvoice?.field == "allocations[0].amount")
        let receipt = await rpcFailure {
            try await client.call(
                PaymentsAllocate.self,
                .init(
                    paymentId: payment.id, allocations: [AllocationInput(invoiceId: billed.receipt.id, amount: d("1"))])
            )
        }
        #expect(receipt?.reason == "not_receivable")
        let otherCurrency = await rpcFailure {
            try await client.call(
                PaymentsRecord.self,
                .init(accountId: billed.account.id, amount: d("5"), currency: "USD", method: "card"))
        }
        #expect(otherCurrency?.reason == "currency_mismatch")

        // Taken back from the second invoice, part refunded, then allocated again.
        let unallocated = try await client.call(
            PaymentsUnallocate.self, .init(paymentId: payment.id, invoiceId: billed.invoices[1].id))
        #expect(unallocated.allocated == "100.00" && unallocated.unallocated == "200.00")
        second = try await invoice(billed, 1)
        #expect(second.status == "posted" && second.balance == "250.00")
        let refunded = try await client.call(
            PaymentsRefund.self,
            .init(paymentId: payment.id, amount: d("50"), refundedOn: day("2026-03-20"), reference: "RF-1"))
        #expect(refunded.refunded == "50.00" && refunded.unallocated == "150.00")
        let overRefund = await rpcFailure {
            try await client.call(PaymentsRefund.self, .init(paymentId: payment.id, amount: d("150.01")))
        }
        #expect(overRefund?.reason == "exceeds_balance")
        let applied = try await client.call(
            PaymentsAllocate.self,
            .init(
                paymentId: payment.id,
                allocations: [AllocationInput(invoiceId: billed.invoices[1].id, amount: d("150"))]))
        #expect(applied.status == "applied" && applied.unallocated == "0.00")

        // Voiding the paid first invoice leaves its 100.00 as credit, which pays the second's rest.
        let voided = try await client.call(InvoicesVoid.self, .init(id: billed.invoices[0].id))
        let credit = try #require(voided.creditNote)
        #expect(voided.invoice.status == "void" && credit.total == "-100.00" && credit.balance == "-100.00")
        // What paid it stays on it: taking it back too would count the money twice.
        let fromVoid = await rpcFailure {
            try await client.call(
                PaymentsUnallocate.self, .init(paymentId: payment.id, invoiceId: billed.invoices[0].id))
        }
        #expect(fromVoid?.reason == "invoice_not_open")
        let creditApplied = try await client.call(
            CreditNotesAllocate.self,
            .init(
                creditNoteId: credit.id,
                allocations: [AllocationInput(invoiceId: billed.invoices[1].id, amount: d("100"))]))
        #expect(creditApplied.balance == "0.00" && creditApplied.amountAllocated == "100.00")
        second = try await invoice(billed, 1)
        first = try await invoice(billed, 0)
        #expect(second.status == "paid" && second.balance == "0.00" && first.balance == "0.00")
        // Voiding the unpaid third settles it with its own credit note: nothing is left as credit.
        let third = try await client.call(InvoicesVoid.self, .init(id: billed.invoices[2].id))
        #expect(third.creditNote?.balance == "0.00" && third.creditNote?.amountAllocated == "40.00")

        let types = try await BillingActivity.eventTypes(tenantID: billed.tenantID).filter {
            $0.hasPrefix("payment.") || $0 == "invoice.paid" || $0 == "credit_note.allocated"
        }
        #expect(
            types == [
                "payment.recorded", "payment.allocated", "invoice.paid", "payment.unallocated", "payment.refunded",
                "payment.allocated", "credit_note.allocated", "invoice.paid",
            ])
        let owner = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let broken = try await BillingInvariants.violations(tenant: try #require(Int64(billed.tenantID)), on: owner)
        await owner.close()
        #expect(broken.isEmpty, "\(broken)")
    }

    @Test func statementsAndAgingAgreeOnWhatIsOwed() async throws {
        let server = try await RunningServer.start()
        let billed = try await billed(server)
        let client = billed.client
        let payment = try await client.call(
            PaymentsRecord.self,
            .init(
                accountId: billed.account.id, amount: d("300"), method: "bank_transfer", receivedOn: day("2026-03-10")))
        _ = try await client.call(
            PaymentsAllocate.self,
            .init(
                paymentId: payment.id,
                allocations: [
                    AllocationInput(invoiceId: billed.invoices[0].id, amount: d("100")),
                    AllocationInput(invoiceId: billed.invoices[1].id, amount: d("150")),
                ]))
        _ = try await client.call(
            PaymentsRefund.self, .init(paymentId: payment.id, amount: d("50"), refundedOn: day("2026-03-20")))

        let march = try await client.call(
            AccountsStatement.self, .init(id: billed.account.id, from: day("2026-01-01"), to: day("2026-03-31")))
        #expect(march.openingBalance == "0.00" && march.closingBalance == "140.00")
        #expect(march.lines.map(\.type) == ["invoice", "invoice", "payment", "refund", "invoice"])
        #expect(march.lines.map(\.amount) == ["100.00", "250.00", "-300.00", "50.00", "40.00"])
        #expect(march.lines.map(\.balance) == ["100.00", "350.00", "50.00", "100.00", "140.00"])
        let april = try await client.call(
            AccountsStatement.self, .init(id: billed.account.id, from: day("2026-04-01"), to: day("2026-04-30")))
        #expect(april.openingBalance == "140.00" && april.lines.isEmpty && april.closingBalance == "140.00")

        // On 2026-04-15 the second invoice (100.00 left) is 16 days past its due date, the third
        // (40.00) not due; the unallocated 0.00 of the payment changes nothing.
        let aging = try await client.call(ReceivablesAging.self, .init(asOf: day("2026-04-15")))
        let row = try #require(aging.accounts.first)
        #expect(aging.accounts.count == 1 && row.accountId == billed.account.id)
        #expect(row.current == "40.00" && row.days1To30 == "100.00" && row.days31To60 == "0.00")
        #expect(row.over90 == "0.00" && row.total == "140.00")
        let later = try await client.call(ReceivablesAging.self, .init(asOf: day("2026-07-15")))
        #expect(later.accounts.first?.over90 == "100.00" && later.accounts.first?.days61To90 == "40.00")
        #expect(later.totals.first?.total == "140.00" && later.totals.first?.accountId == nil)
    }

    @Test func aDraftIsVoidedWithoutANumberOrACreditNote() async throws {
        let server = try await RunningServer.start()
        let billed = try await billed(server)
        let client = billed.client
        let product = try await client.call(
            ProductsCreate.self,
            .init(code: "X", name: "Extra", services: [ProductService(code: "x", name: "X", kind: "one_time")]))
        let once = try await client.call(BillingProcessesCreate.self, .init(name: "Once again", kind: "one_time"))
        let order = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: billed.account.id, type: "investment", startDate: day("2026-05-05"),
                items: [
                    OrderItemInput(
                        productId: product.id, quantity: d("1"), unitPrice: d("12"), billingProcessId: once.id)
                ]))
        _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2026-05-05")))
        let run = try await client.call(InvoiceRunsStart.self, .init(targetDate: day("2026-05-31"))).run
        let store = BillingStore(pool: try await TestDatabase.shared.appPool())
        try await InvoiceRunner(store: store).run(
            try #require(Int64(run.id)), tenant: try #require(TenantID(billed.tenantID)))
        await store.pool.close()
        let draft = try #require(try await client.call(InvoicesList.self, .init(runId: run.id)).items.first)
        #expect(draft.status == "draft" && draft.number == nil)
        let voided = try await client.call(InvoicesVoid.self, .init(id: draft.id))
        #expect(voided.invoice.status == "void" && voided.invoice.number == nil && voided.creditNote == nil)
    }
}
