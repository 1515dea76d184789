import BillingClient
import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import TestSupport
import Testing

/// Invoice runs end to end: orders → billing transactions → documents with VAT, numbering,
/// voiding. The run's job is run in this process, as a worker would.
@Suite struct InvoiceRunTests {
    private func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    private func runJob(of run: InvoiceRun, tenant: String) async throws {
        let store = BillingStore(pool: try await TestDatabase.shared.appPool())
        try await InvoiceRunner(store: store, batchSize: 2).run(
            try #require(Int64(run.id)), tenant: try #require(TenantID(tenant)))
        await store.pool.close()
    }

    @Test func twoRunsAtOnceOverTheSameAccountsBillEveryTransactionOnce() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let product = try await client.call(
            ProductsCreate.self,
            .init(code: "P", name: "P", services: [ProductService(code: "seat", name: "Seat", kind: "recurring")]))
        let monthly = try await client.call(
            BillingProcessesCreate.self, .init(name: "Monthly", kind: "recurring", frequency: "monthly"))
        var expected: Int64 = 0
        for index in 1...30 {
            let account = try await client.call(AccountsCreate.self, .init(name: "Customer \(index)", currency: "EUR"))
            let order = try await client.call(
                OrdersCreate.self,
                .init(
                    accountId: account.id, type: "subscription", startDate: day("2026-01-01"),
                    endDate: day("2026-03-31"),
                    items: [
                        OrderItemInput(
                            productId: product.id, serviceCode: "seat", quantity: d("\(index)"), unitPrice: d("10"),
                            billingProcessId: monthly.id)
                    ]))
            _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2026-01-01")))
            expected += Int64(index) * 1000 * 3
        }
        let runs = [
            try await client.call(InvoiceRunsStart.self, .init(targetDate: day("2026-03-31"))).run,
            try await client.call(InvoiceRunsStart.self, .init(targetDate: day("2026-03-31"))).run,
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for run in runs { group.addTask { try await runJob(of: run, tenant: tenant.tenant.id) } }
            try await group.waitForAll()
        }
        let finished = try await client.call(InvoiceRunsList.self, PageRequest()).items
        #expect(finished.allSatisfy { $0.status == "completed" })
        #expect(finished.map(\.transactions).reduce(0, +) == 90)
        let documents = try await client.call(InvoicesList.self, .init(limit: 1000)).items
        let lines = documents.flatMap(\.lines)
        #expect(lines.count == 90)
        let cents = documents.reduce(Int64(0)) {
            $0 + Money($1.total, currency: try! Currency(code: "EUR"))!.minorUnits
        }
        #expect(cents == expected)
        let pending = try await client.call(BillingTransactionsList.self, .init(status: "pending", limit: 1000)).items
        #expect(pending.isEmpty)
        await client.close()
        try await server.stop()
    }

    @Test func aRunOfOneBillGroupLeavesTheOthersAndReceiptsArePaidOnIssue() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let product = try await client.call(
            ProductsCreate.self,
            .init(code: "P", name: "P", services: [ProductService(code: "kit", name: "Kit", kind: "one_time")]))
        let once = try await client.call(BillingProcessesCreate.self, .init(name: "Once", kind: "one_time"))
        var accounts: [String: Account] = [:]
        for group in ["emea", "us"] {
            let account = try await client.call(
                AccountsCreate.self, .init(name: group, currency: "EUR", paymentTermsDays: 30, billGroup: group))
            accounts[group] = account
            let order = try await client.call(
                OrdersCreate.self,
                .init(
                    accountId: account.id, type: "advertising", startDate: day("2026-02-10"),
                    generate: group == "emea" ? "sales_receipt" : "invoice",
                    items: [
                        OrderItemInput(
                            productId: product.id, serviceCode: "kit", quantity: d("2"), unitPrice: d("12.5"),
                            billingProcessId: once.id)
                    ]))
            _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2026-02-10")))
        }
        let emea = try await client.call(InvoiceRunsStart.self, .init(targetDate: day("2026-02-28"), billGroup: "emea"))
            .run
        #expect(emea.billGroup == "emea")
        try await runJob(of: emea, tenant: tenant.tenant.id)
        let receipts = try await client.call(InvoicesList.self, .init(runId: emea.id)).items
        // A sales receipt is issued paid: due on its date (BILLING.md §9).
        #expect(receipts.map(\.type) == ["sales_receipt"] && receipts[0].accountId == accounts["emea"]?.id)
        #expect(receipts[0].dueDate == day("2026-02-28") && receipts[0].total == "25.00")
        let pending = try await client.call(BillingTransactionsList.self, .init(status: "pending")).items
        #expect(pending.map(\.accountId) == [accounts["us"]?.id])
        let rest = try await client.call(InvoiceRunsStart.self, .init(targetDate: day("2026-02-28"))).run
        try await runJob(of: rest, tenant: tenant.tenant.id)
        let invoices = try await client.call(InvoicesList.self, .init(runId: rest.id)).items
        #expect(invoices.map(\.type) == ["invoice"] && invoices[0].dueDate == day("2026-03-30"))
        let posted = try await client.call(InvoicesPost.self, .init(id: receipts[0].id))
        #expect(posted.number == "SR-2026-000001")
        await client.close()
        try await server.stop()
    }

    @Test func theTaxAccountDecidesTheTaxAndCompoundRatesTaxTheTax() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        // BILLING.md §8: 15% at priority 0, then 20% compound on net + the 15%.
        _ = try await client.call(
            TaxRatesCreate.self,
            .init(country: "CA", taxCategory: "standard", rate: d("15"), validFrom: day("2020-01-01")))
        _ = try await client.call(
            TaxRatesCreate.self,
            .init(country: "CA", taxCategory: "standard", rate: d("20"), priority: 1, validFrom: day("2020-01-01")))
        let product = try await client.call(
            ProductsCreate.self,
            .init(code: "P", name: "P", services: [ProductService(code: "seat", name: "Seat", kind: "recurring")]))
        let monthly = try await client.call(
            BillingProcessesCreate.self, .init(name: "Monthly", kind: "recurring", frequency: "monthly"))
        // The holding's own profile is French, but its tax account is the Canadian subsidiary.
        let holding = try await client.call(
            AccountsCreate.self, .init(name: "Holding", currency: "EUR", tax: .init(country: "FR")))
        let canada = try await client.call(
            AccountsCreate.self,
            .init(name: "Canada", currency: "EUR", parentId: holding.id, tax: .init(country: "CA")))
        var taxAccount = AccountsUpdate.Params(id: holding.id)
        taxAccount.taxAccountId = .set(canada.id)
        _ = try await client.call(AccountsUpdate.self, taxAccount)
        let order = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: holding.id, type: "subscription", startDate: day("2026-01-01"), endDate: day("2026-01-31"),
                items: [
                    OrderItemInput(
                        productId: product.id, serviceCode: "seat", quantity: d("1"), unitPrice: d("5000"),
                        billingProcessId: monthly.id)
                ]))
        _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2026-01-01")))
        let run = try await client.call(InvoiceRunsStart.self, .init(targetDate: day("2026-01-31"))).run
        try await runJob(of: run, tenant: tenant.tenant.id)
        let invoice = try #require(try await client.call(InvoicesList.self, .init(runId: run.id)).items.first)
        // 5,000 × 15% = 750; (5,000 + 750) × 20% = 1,150; 1,900 in all.
        #expect(
            invoice.taxBreakdown == [
                TaxBreakdownRow(category: "standard", rate: d("15"), base: "5000.00", amount: "750.00"),
                TaxBreakdownRow(category: "standard", rate: d("20"), base: "5750.00", amount: "1150.00"),
            ])
        #expect(invoice.taxTotal == "1900.00" && invoice.total == "6900.00" && invoice.accountId == holding.id)
        await client.close()
        try await server.stop()
    }

    @Test func aHierarchyAndThreeOtherCustomersAreInvoicedWithTheirVAT() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let tenantID = tenant.tenant.id
        for (category, rate) in [("standard", "20"), ("reduced", "5.5")] {
            _ = try await client.call(
                TaxRatesCreate.self,
                .init(country: "FR", taxCategory: category, rate: d(rate), validFrom: day("2020-01-01")))
        }
        let product = try await client.call(
            ProductsCreate.self,
            .init(
                code: "SUITE", name: "Suite",
                services: [
                    ProductService(code: "seat", name: "Seat", kind: "recurring"),
                    ProductService(code: "setup", name: "Setup", kind: "one_time", taxCategory: "reduced"),
                ]))
        let monthly = try await client.call(
            BillingProcessesCreate.self, .init(name: "Monthly", kind: "recurring", frequency: "monthly"))
        let once = try await client.call(BillingProcessesCreate.self, .init(name: "Once", kind: "one_time"))
        let quarterly = try await client.call(
            BillingProcessesCreate.self, .init(name: "Quarterly", kind: "recurring", frequency: "quarterly"))
        let plan = try await client.call(
            BillingProcessesCreate.self,
            .init(
                name: "30-70", kind: "installments",
                plan: [PlanStep(percent: d("30"), offsetDays: 0), PlanStep(percent: d("70"), milestone: "acceptance")]))
        func account(
            _ name: String, _ currency: String = "EUR", parent: String? = nil, invoicer: String? = nil,
            tax: AccountTax? = nil, terms: Int? = nil
        )
            async throws -> Account
        {
            try await client.call(
                AccountsCreate.self,
                .init(
                    name: name, currency: currency, parentId: parent, billingDay: 1, paymentTermsDays: terms,
                    subscriptionInvoicerId: invoicer, tax: tax))
        }
        let group = try await account("Group", tax: .init(country: "FR", vatNumber: "FR40303265045"), terms: 45)
        let east = try await account("East", parent: group.id, invoicer: group.id)
        let west = try await account("West", parent: group.id, invoicer: group.id)
        let exempt = try await account(
            "Charity", tax: .init(country: "FR", exempt: true, exemptionReason: "Article 261 du CGI"))
        let german = try await account("GmbH", tax: .init(country: "DE", vatNumber: "DE123456789"))
        let american = try await account("Inc", "USD", tax: .init(country: "US"))
        func order(_ account: Account, _ items: [OrderItemInput], start: String = "2026-01-01") async throws {
            let order = try await client.call(
                OrdersCreate.self,
                .init(accountId: account.id, type: "subscription", startDate: day(start), items: items))
            _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day(start)))
        }
        func seat(_ quantity: String, _ price: String) -> OrderItemInput {
            OrderItemInput(
                productId: product.id, serviceCode: "seat", quantity: d(quantity), unitPrice: d(price),
                billingProcessId: monthly.id)
        }
        try await order(
            east,
            [
                seat("1", "31"),
                OrderItemInput(
                    productId: product.id, serviceCode: "setup", quantity: d("1"), unitPrice: d("100"),
                    billingProcessId: once.id),
                OrderItemInput(
                    productId: product.id, serviceCode: "seat", quantity: d("1"), unitPrice: d("300"),
                    billingProcessId: quarterly.id, startDate: day("2026-01-15")),
            ])
        try await order(
            west,
            [
                seat("2", "50"),
                OrderItemInput(
                    productId: product.id, serviceCode: "setup", quantity: d("1"), unitPrice: d("1000"),
                    billingProcessId: plan.id),
            ], start: "2026-01-15")
        for customer in [exempt, german, american] { try await order(customer, [seat("1", "31")]) }

        // The preview shows what the run will write, and writes nothing.
        let preview = try await client.call(InvoiceRunsPreview.self, .init(targetDate: day("2026-01-31")))
        #expect(preview.documentCount == 4 && preview.transactions == 8)
        #expect(preview.amountTotal == ["EUR": "653.52", "USD": "31.00"])
        #expect(preview.documents.first { $0.accountId == group.id }?.total == "591.52")
        let limited = try await client.call(InvoiceRunsPreview.self, .init(targetDate: day("2026-01-31"), limit: 1))
        #expect(limited.documents.count == 1 && limited.documentCount == 4)
        #expect(try await client.call(InvoicesList.self, .init()).items.isEmpty)

        let started = try await client.call(
            InvoiceRunsStart.self, .init(targetDate: day("2026-01-31"), invoiceDate: day("2026-01-31")))
        #expect(started.run.status == "queued" && started.run.documents == 0)
        let jobs = try await client.call(JobsList.self, .init(kind: "invoice_runs.run")).items
        #expect(jobs.count == 1 && jobs[0].payload == .object(["run_id": .integer(Int64(started.run.id)!)]))
        try await runJob(of: started.run, tenant: tenantID)

        let run = try await client.call(InvoiceRunsGet.self, .init(id: started.run.id))
        #expect(run.status == "completed" && run.documents == 4 && run.transactions == 8)
        // 591.52 (group) + 31.00 + 31.00 in EUR; 31.00 USD.
        #expect(run.amountTotal == ["EUR": "653.52", "USD": "31.00"])
        let documents = try await client.call(InvoicesList.self, .init(runId: run.id)).items
        let byAccount = Dictionary(uniqueKeysWithValues: documents.map { ($0.accountId, $0) })
        #expect(Set(byAccount.keys) == [group.id, exempt.id, german.id, american.id])

        // The group's invoice: East's January, setup fee and quarterly stub (billing day 1: the first boundary is
        // Feb 1, so Jan 15–31 is a stub of the quarter Nov 1–Jan 31: 17/92 × 300.00 = 55.43); West's monthly
        // stub (17/31 × 100.00 = 54.84) and first installment (30% of 1,000.00; the rest waits for acceptance).
        let groupInvoice = try #require(byAccount[group.id])
        #expect(groupInvoice.lines.map(\.amount) == ["31.00", "100.00", "55.43", "54.84", "300.00"])
        #expect(groupInvoice.lines.map(\.taxCategory) == ["standard", "reduced", "standard", "standard", "reduced"])
        #expect(groupInvoice.lines.map(\.taxRate) == [d("20"), d("5.5"), d("20"), d("20"), d("5.5")])
        // BILLING.md §8: tax per rate on the sum: 141.27 × 20% = 28.25, 400.00 × 5.5% = 22.00.
        #expect(
            groupInvoice.taxBreakdown == [
                TaxBreakdownRow(category: "reduced", rate: d("5.5"), base: "400.00", amount: "22.00"),
                TaxBreakdownRow(category: "standard", rate: d("20"), base: "141.27", amount: "28.25"),
            ])
        #expect(groupInvoice.subtotal == "541.27" && groupInvoice.taxTotal == "50.25" && groupInvoice.total == "591.52")
        // Net 45 from Jan 31.
        #expect(
            groupInvoice.dueDate == day("2026-03-17") && groupInvoice.status == "draft" && groupInvoice.number == nil)

        let charity = try #require(byAccount[exempt.id])
        #expect(
            charity.lines.map(\.taxCategory) == ["E"] && charity.taxTotal == "0.00"
                && charity.notes == ["Article 261 du CGI"])
        let gmbh = try #require(byAccount[german.id])
        #expect(gmbh.lines.map(\.taxCategory) == ["AE"] && gmbh.total == "31.00" && gmbh.notes == ["Reverse charge"])
        let inc = try #require(byAccount[american.id])
        #expect(inc.currency == "USD" && inc.taxTotal == "0.00" && inc.lines[0].taxRate == nil)

        // Nothing is billed twice: the same run again, and a second run, add nothing.
        try await runJob(of: started.run, tenant: tenantID)
        let second = try await client.call(InvoiceRunsStart.self, .init(targetDate: day("2026-01-31")))
        try await runJob(of: second.run, tenant: tenantID)
        #expect(try await client.call(InvoiceRunsGet.self, .init(id: second.run.id)).documents == 0)
        #expect(try await client.call(InvoicesList.self, .init()).items.count == 4)

        // Posting numbers the documents of the year's series without a gap, whatever the order.
        let numbers = try await withThrowingTaskGroup(of: String?.self) { group in
            for document in documents {
                group.addTask { try await client.call(InvoicesPost.self, .init(id: document.id)).number }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(Set(numbers.compactMap { $0 }) == Set((1...4).map { "INV-2026-00000\($0)" }))
        let again = await #expect(throws: RPCError.self) {
            try await client.call(InvoicesPost.self, .init(id: groupInvoice.id))
        }
        #expect(again?.data.reason == "not_draft")

        // Voiding a posted invoice credits it and returns its transactions, billed again by the next run.
        let voided = try await client.call(InvoicesVoid.self, .init(id: groupInvoice.id))
        #expect(voided.invoice.status == "void")
        let credit = try #require(voided.creditNote)
        #expect(credit.type == "credit_note" && credit.number == "CN-\(PriceTests.todayInParis().year)-000001")
        #expect(
            credit.total == "-591.52"
                && credit.lines.map(\.amount) == ["-31.00", "-100.00", "-55.43", "-54.84", "-300.00"])
        #expect(credit.creditedInvoiceId == groupInvoice.id)
        let rebill = try await client.call(InvoiceRunsStart.self, .init(targetDate: day("2026-01-31")))
        try await runJob(of: rebill.run, tenant: tenantID)
        let rebilled = try await client.call(InvoicesList.self, .init(runId: rebill.run.id)).items
        #expect(rebilled.map(\.total) == ["591.52"] && rebilled[0].accountId == group.id)

        let types = try await BillingActivity.eventTypes(tenantID: tenantID).filter {
            $0.hasPrefix("invoice") || $0.hasPrefix("credit_note")
        }
        #expect(types.filter { $0 == "invoice.created" }.count == 5)
        #expect(types.filter { $0 == "invoice.posted" }.count == 4)
        #expect(types.contains("invoice.voided") && types.contains("credit_note.posted"))
        await client.close()
        try await server.stop()
    }
}
