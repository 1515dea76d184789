import BillingClient
import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import Postgres
import TestSupport
import Testing

/// The reporting views over data written through the services, read by partners (`reports.run`)
/// and by DBAs as `billing_report`, who see one tenant at a time.
@Suite struct ReportTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    func rows(
        _ client: BillingClient, _ name: String, _ filters: [String: String]? = nil
    ) async throws
        -> [[String: String?]]
    {
        try await client.call(ReportsRun.self, .init(name: name, filters: filters, limit: 1000)).rows
    }

    @Test func everyViewShowsTheTenantsFiguresExactly() async throws {
        let server = try await RunningServer.start()
        let billed = try await PaymentTests().billed(server)
        let client = billed.client
        // Invoices 100.00, 250.00 and 40.00 and a sales receipt of 60.00, all untaxed; 300.00 paid
        // of the first two.
        let payment = try await client.call(
            PaymentsRecord.self,
            .init(
                accountId: billed.account.id, amount: d("150"), method: "bank_transfer", receivedOn: day("2026-03-10")))
        _ = try await client.call(
            PaymentsAllocate.self,
            .init(
                paymentId: payment.id,
                allocations: [AllocationInput(invoiceId: billed.invoices[0].id, amount: d("100"))]))
        let register = try await rows(client, "invoice_register")
        #expect(
            register.map { $0["number"] ?? nil } == [
                "INV-2026-000001", "SR-2026-000001", "INV-2026-000002", "INV-2026-000003",
            ])
        #expect(register.map { $0["status"] ?? nil } == ["paid", "paid", "posted", "posted"])
        #expect(register.map { $0["balance"] ?? nil } == ["0.00", "0", "250.00", "40.00"])
        #expect(register.allSatisfy { $0["account_name"] == "Customer" && $0["tenant_id"] == nil })

        // Recurring revenue: 3 seats at 50.00 a month and 2 at 90.00 a quarter → 150.00 + 60.00 a month.
        let product = try await client.call(
            ProductsCreate.self,
            .init(
                code: "SUB", name: "Subscription",
                services: [ProductService(code: "seat", name: "Seat", kind: "recurring")]))
        let monthly = try await client.call(
            BillingProcessesCreate.self, .init(name: "Monthly", kind: "recurring", frequency: "monthly"))
        let quarterly = try await client.call(
            BillingProcessesCreate.self, .init(name: "Quarterly", kind: "recurring", frequency: "quarterly"))
        let order = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: billed.account.id, type: "subscription", startDate: day("2026-01-01"), newOrder: true,
                items: [
                    OrderItemInput(
                        productId: product.id, quantity: d("3"), unitPrice: d("50"), billingProcessId: monthly.id),
                    OrderItemInput(
                        productId: product.id, quantity: d("2"), unitPrice: d("90"), billingProcessId: quarterly.id),
                ]))
        _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2026-01-01")))
        let items = try await rows(client, "active_recurring_items")
        #expect(items.compactMap { $0["monthly_amount"] ?? nil }.sorted() == ["150.000000", "60.000000"])
        let mrr = try await rows(client, "mrr")
        #expect(mrr.count == 1 && mrr[0]["account_id"] == billed.account.id && mrr[0]["items"] == "2")
        #expect(mrr[0]["mrr"].flatMap { $0.flatMap { Decimal6($0) } } == d("210"))
        #expect(mrr[0]["arr"].flatMap { $0.flatMap { Decimal6($0) } } == d("2520"))
        let arr = try await rows(client, "arr")
        #expect(
            arr.count == 1 && arr[0]["accounts"] == "1"
                && arr[0]["arr"].flatMap { $0.flatMap { Decimal6($0) } } == d("2520"))

        // The forecast sums the pending transactions per month: January has the month (150.00)
        // and the quarter (180.00).
        let forecast = try await rows(client, "billing_forecast")
        let january = try #require(forecast.first { $0["month"] == "2026-01-01" })
        #expect(january["amount"] == "330.00" && january["transactions"] == "2" && january["currency"] == "EUR")
        #expect(forecast.first { $0["month"] == "2026-02-01" }?["amount"] == "150.00")
        let transactions = try await client.call(BillingTransactionsList.self, .init(orderId: order.id, limit: 1000))
            .items
        let total = transactions.compactMap { Money($0.amount, currency: try! Currency(code: "EUR"))?.minorUnits }
            .reduce(0, +)
        let forecastTotal = forecast.compactMap {
            $0["amount"].flatMap { $0.flatMap { Money($0, currency: try! Currency(code: "EUR"))?.minorUnits } }
        }.reduce(0, +)
        #expect(forecastTotal == total)

        // Aging on the tenant's today: the invoices are long past due.
        let aging = try await rows(client, "ar_aging")
        #expect(aging.count == 1 && aging[0]["over_90"] == "290.00" && aging[0]["total"] == "290.00")

        // The hierarchy, with inherited settings.
        let child = try await client.call(
            AccountsCreate.self, .init(name: "Branch", currency: "EUR", parentId: billed.account.id, billGroup: "emea"))
        let tree = try await rows(client, "account_tree", ["root_id": billed.account.id])
        #expect(tree.map { $0["account_id"] ?? nil } == [billed.account.id, child.id])
        #expect(tree.map { $0["depth"] ?? nil } == ["0", "1"])
        #expect(tree.map { $0["path"] ?? nil } == [billed.account.id, "\(billed.account.id)/\(child.id)"])
        #expect(tree.map { $0["payment_terms_days"] ?? nil } == ["30", "30"])
        // The branch sets no invoicer: it inherits the group's effective one, the group itself.
        #expect(tree.map { $0["subscription_invoicer_id"] ?? nil } == [billed.account.id, billed.account.id])
        #expect(tree.map { $0["bill_group"] ?? nil } == [nil, "emea"])
        // A filter never matches a null: the root has no parent.
        let children = try await rows(client, "account_tree", ["parent_id": billed.account.id])
        #expect(children.map { $0["account_id"] ?? nil } == [child.id])

        // Tax: a fee of 100.00 in April, invoiced with the subscription's pending periods (four
        // months of 150.00 and two quarters of 180.00): 1,060.00 at the French 20%.
        _ = try await client.call(
            TaxRatesCreate.self,
            .init(country: "FR", taxCategory: "standard", rate: d("20"), validFrom: day("2020-01-01")))
        let services = try await client.call(
            ProductsCreate.self,
            .init(code: "FEE", name: "Fee", services: [ProductService(code: "fee", name: "Fee", kind: "one_time")]))
        let once = try await client.call(BillingProcessesCreate.self, .init(name: "Once more", kind: "one_time"))
        let fee = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: billed.account.id, type: "investment", startDate: day("2026-04-10"), newOrder: true,
                items: [
                    OrderItemInput(
                        productId: services.id, quantity: d("1"), unitPrice: d("100"), billingProcessId: once.id)
                ]))
        _ = try await client.call(OrdersActivate.self, .init(id: fee.id, activationDate: day("2026-04-10")))
        let run = try await client.call(
            InvoiceRunsStart.self,
            .init(
                targetDate: day("2026-04-30"), invoiceDate: day("2026-04-30"), accountIds: [billed.account.id],
                autoPost: true)
        ).run
        let store = BillingStore(pool: try await TestDatabase.shared.appPool())
        try await InvoiceRunner(store: store).run(
            try #require(Int64(run.id)), tenant: try #require(TenantID(billed.tenantID)))
        await store.pool.close()
        let tax = try await rows(client, "tax_summary", ["month": "2026-04-01"])
        let april = try #require(tax.first { $0["category"] == "standard" })
        #expect(april["country"] == "FR" && april["rate"].flatMap { $0.flatMap { Decimal6($0) } } == d("20"))
        #expect(april["base"] == "1060.00" && april["tax"] == "212.00" && april["documents"] == "1")

        // Usage: two events of February.
        let api = try await client.call(
            ProductsCreate.self,
            .init(code: "API", name: "API", services: [ProductService(code: "calls", name: "Calls", kind: "usage")]))
        let metered = try await client.call(BillingProcessesCreate.self, .init(name: "Usage", kind: "usage"))
        let usageOrder = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: billed.account.id, type: "subscription", startDate: day("2026-01-01"), newOrder: true,
                items: [
                    OrderItemInput(
                        productId: api.id, quantity: d("1"), unitPrice: d("0.01"), billingProcessId: metered.id)
                ]))
        let usageItem = try await client.call(
            OrdersActivate.self, .init(id: usageOrder.id, activationDate: day("2026-01-01"))
        ).items[0].id
        _ = try await client.call(
            UsageRecord.self,
            .init(events: [
                UsageEventInput(
                    eventId: "u1", orderItemId: usageItem, metric: "calls", quantity: d("7"), at: "2026-02-03T10:00:00Z"
                ),
                UsageEventInput(
                    eventId: "u2", orderItemId: usageItem, metric: "calls", quantity: d("5"), at: "2026-02-04T10:00:00Z"
                ),
            ]))
        let usage = try await rows(client, "usage_by_metric", ["order_item_id": usageItem])
        #expect(usage.count == 1 && usage[0]["metric"] == "calls" && usage[0]["period_start"] == "2026-02-01")
        #expect(usage[0]["events"] == "2" && usage[0]["quantity_sum"] == "12" && usage[0]["quantity_max"] == "7")
        #expect(usage[0]["rated"] == "false")

        // What is due by the end of the tenant's month is exactly the pending transactions dated so far.
        let due = try await rows(client, "items_to_invoice")
        let today = try await today(of: client, billed.tenantID)
        let pending = try await client.call(BillingTransactionsList.self, .init(status: "pending", limit: 1000)).items
        let endOfMonth = today.dayOfMonth(31, monthsLater: 0) ?? today
        #expect(due.count == pending.filter { ($0.billingDate.map { $0 <= endOfMonth }) ?? false }.count)

        // An order ending 30 days from today is due for renewal.
        let ending = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: billed.account.id, type: "subscription", startDate: day("2026-01-01"),
                endDate: today.adding(days: 30), newOrder: true,
                items: [
                    OrderItemInput(
                        productId: product.id, quantity: d("1"), unitPrice: d("10"), billingProcessId: monthly.id)
                ]))
        _ = try await client.call(OrdersActivate.self, .init(id: ending.id, activationDate: day("2026-01-01")))
        let renewals = try await rows(client, "renewals_due")
        #expect(renewals.map { $0["order_id"] ?? nil } == [ending.id] && renewals.first?["days_left"] == "30")

        let unknown = await rpcFailure { try await client.call(ReportsRun.self, .init(name: "secrets")) }
        #expect(unknown?.reason == "unknown_report")
        let badColumn = await rpcFailure {
            try await client.call(ReportsRun.self, .init(name: "mrr", filters: ["tenant_id": "1"]))
        }
        #expect(badColumn?.reason == "unknown_column")
        let page = try await client.call(ReportsRun.self, .init(name: "invoice_register", limit: 3))
        #expect(page.rows.count == 3 && page.nextCursor == "3")
        let rest = try await client.call(ReportsRun.self, .init(name: "invoice_register", limit: 3, cursor: "3"))
        #expect(
            rest.rows.map { $0["number"] ?? nil } == ["INV-2026-000003", "INV-2026-000004"] && rest.nextCursor == nil)
    }

    /// The tenant's today, as the database computes it.
    func today(of client: BillingClient, _ tenantID: String) async throws -> CalendarDate {
        let store = BillingStore(pool: try await TestDatabase.shared.appPool())
        defer { Task { await store.pool.close() } }
        return try await store.inTenant(try #require(TenantID(tenantID))) { try await $0.today() }
    }

    @Test func aReportSessionSeesOneTenantOnly() async throws {
        let server = try await RunningServer.start()
        let first = try await PaymentTests().billed(server)
        let second = try await PaymentTests().billed(server)
        let owner = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let (own, others, none) = try await owner.withConnection { connection in
            try await connection.transaction { transaction in
                try await transaction.execute("SET LOCAL ROLE billing_report")
                let unset: Int = try await transaction.query(
                    "SELECT count(*)::bigint AS n FROM reporting.invoice_register")[0].decode("n")
                try await transaction.execute("SELECT set_config('billing.tenant_id', \(first.tenantID), true)")
                var counts: [Int] = []
                for view in [
                    "active_recurring_items", "invoice_register", "items_to_invoice", "billing_forecast", "mrr", "arr",
                    "ar_aging", "tax_summary",
                    "renewals_due", "usage_by_metric", "account_tree",
                ] {
                    counts.append(
                        try await transaction.query(
                            PostgresQuery(
                                unsafeSQL:
                                    "SELECT count(*) FILTER (WHERE tenant_id <> \(second.tenantID) OR true)::bigint AS n, "
                                    + "count(*) FILTER (WHERE tenant_id = \(second.tenantID))::bigint AS other FROM reporting.\(view)"
                            )
                        )[0].decode("other"))
                }
                let own: Int = try await transaction.query(
                    "SELECT count(*)::bigint AS n FROM reporting.invoice_register")[0].decode("n")
                return (own, counts, unset)
            }
        }
        #expect(none == 0 && own == 4)
        #expect(others.allSatisfy { $0 == 0 })
        await owner.close()
    }
}
