import BillingClient
import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import TestSupport
import Testing

/// Usage over the wire: idempotent batches resolved to usage items and billing periods, rated in
/// arrears by invoice runs (BILLING.md §7).
@Suite struct UsageTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// A tenant (Europe/Paris) metering API calls: 0.05 a call, the first 100 of each month
    /// included, billed monthly in arrears from 2026-01-01 to a parent account and its child.
    struct Metered {
        let client: BillingClient
        let tenantID: TenantID
        let parent: Account
        let child: Account
        let parentItem: String
        let childItem: String
        let process: BillingProcess
    }

    func metered(_ server: RunningServer, aggregation: String? = nil) async throws -> Metered {
        let (client, tenant) = try await server.tenantClient()
        let product = try await client.call(
            ProductsCreate.self,
            .init(code: "API", name: "API", services: [ProductService(code: "calls", name: "Calls", kind: "usage")]))
        let book = try await client.call(PriceBooksCreate.self, .init(name: "List", currency: "EUR", isDefault: true))
        _ = try await client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: book.id,
                prices: [
                    PriceInput(
                        productId: product.id, serviceCode: "calls", unitPrice: d("0.05"), includedQuantity: d("100"),
                        effectiveFrom: day("2020-01-01"))
                ]))
        let process = try await client.call(
            BillingProcessesCreate.self,
            .init(name: "Usage", kind: "usage", frequency: "monthly", aggregation: aggregation))
        let parent = try await client.call(AccountsCreate.self, .init(name: "Group", currency: "EUR", billingDay: 1))
        let child = try await client.call(
            AccountsCreate.self, .init(name: "Branch", currency: "EUR", parentId: parent.id))
        var items: [String] = []
        for account in [parent, child] {
            let order = try await client.call(
                OrdersCreate.self,
                .init(
                    accountId: account.id, type: "subscription", startDate: day("2026-01-01"), newOrder: true,
                    items: [OrderItemInput(productId: product.id, quantity: d("1"), billingProcessId: process.id)]))
            let active = try await client.call(
                OrdersActivate.self, .init(id: order.id, activationDate: day("2026-01-01")))
            items.append(active.items[0].id)
        }
        return Metered(
            client: client, tenantID: try #require(TenantID(tenant.tenant.id)), parent: parent, child: child,
            parentItem: items[0], childItem: items[1], process: process)
    }

    func event(_ id: String, item: String, _ quantity: String, at: String) -> UsageEventInput {
        UsageEventInput(eventId: id, orderItemId: item, metric: "calls", quantity: d(quantity), at: at)
    }

    func invoiceRun(_ metered: Metered, target: String) async throws -> InvoiceRun {
        let run = try await metered.client.call(InvoiceRunsStart.self, .init(targetDate: day(target))).run
        let store = BillingStore(pool: try await TestDatabase.shared.appPool())
        try await InvoiceRunner(store: store).run(try #require(Int64(run.id)), tenant: metered.tenantID)
        await store.pool.close()
        return try await metered.client.call(InvoiceRunsGet.self, .init(id: run.id))
    }

    @Test func batchesAreIdempotentPerEventAndAllOrNothing() async throws {
        let server = try await RunningServer.start()
        let metered = try await metered(server)
        let client = metered.client
        let batch = [
            event("e1", item: metered.parentItem, "400", at: "2026-01-10T10:00:00Z"),
            // 23:30 UTC on Jan 31 is 00:30 on Feb 1 in Paris: February's usage.
            event("e2", item: metered.parentItem, "600", at: "2026-01-31T23:30:00Z"),
            UsageEventInput(
                eventId: "e3", accountId: metered.parent.id, metric: "calls", quantity: d("201"),
                at: "2026-02-15T08:00:00+01:00", properties: .object(["endpoint": .string("/v1/invoices")])),
        ]
        let first = try await client.call(UsageRecord.self, .init(events: batch))
        #expect(first == .init(recorded: 3, duplicates: 0, duplicateEventIds: []))
        let again = try await client.call(UsageRecord.self, .init(events: batch + [batch[0]]))
        #expect(again.recorded == 0 && again.duplicates == 4)
        #expect(again.duplicateEventIds.sorted() == ["e1", "e1", "e2", "e3"])

        // The same id with another quantity rejects the whole batch, and nothing of it is stored.
        var changed = batch[0]
        changed.quantity = d("401")
        let conflict = await rpcFailure {
            try await client.call(
                UsageRecord.self,
                .init(events: [event("e4", item: metered.parentItem, "5", at: "2026-01-12T00:00:00Z"), changed]))
        }
        #expect(conflict?.code == RPCErrorCode.conflict.code && conflict?.reason == "event_conflict")
        #expect(conflict?.field == "events[1].event_id")
        for (events, reason, field) in [
            (
                [event("x1", item: metered.parentItem, "1", at: "2025-12-31T12:00:00Z")], "outside_service_period",
                "events[0].at"
            ),
            ([event("x2", item: metered.parentItem, "1", at: "2026-01-10")], "invalid_timestamp", "events[0].at"),
            (
                [event("x3", item: metered.parentItem, "-1", at: "2026-01-10T00:00:00Z")], "invalid_quantity",
                "events[0].quantity"
            ),
            (
                [
                    UsageEventInput(
                        eventId: "x4", accountId: metered.parent.id, metric: "storage", quantity: d("1"),
                        at: "2026-01-10T00:00:00Z")
                ],
                "no_usage_item", "events[0]"
            ),
            (
                [
                    UsageEventInput(
                        eventId: "x5", orderItemId: metered.parentItem, metric: "storage", quantity: d("1"),
                        at: "2026-01-10T00:00:00Z")
                ],
                "metric_mismatch", "events[0].metric"
            ),
        ] {
            let failure = await rpcFailure { try await client.call(UsageRecord.self, .init(events: events)) }
            #expect(failure?.reason == reason && failure?.field == field, "\(reason)")
        }
        let tooMany = await rpcFailure {
            try await client.call(
                UsageRecord.self,
                .init(
                    events: (0...1000).map {
                        event("m\($0)", item: metered.parentItem, "1", at: "2026-01-10T00:00:00Z")
                    }))
        }
        #expect(tooMany?.reason == "invalid_event_count")

        // January: 400 calls, 300 over the 100 included → 15.00; February so far: 801 → 35.05.
        let summary = try await client.call(
            UsageSummary.self, .init(accountId: metered.parent.id, from: day("2026-01-01"), to: day("2026-02-28")))
        let periods = try #require(summary.items.first).periods
        #expect(summary.items.map(\.orderItemId) == [metered.parentItem])
        #expect(periods.map(\.quantity) == [d("400"), d("801")] && periods.map(\.events) == [1, 2])
        #expect(periods.map(\.amount) == ["15.00", "35.05"])
        #expect(periods.map(\.periodStart) == [day("2026-01-01"), day("2026-02-01")])
        #expect(periods.map(\.status) == ["unrated", "unrated"])
    }

    @Test func invoiceRunsRateClosedPeriodsInArrearsForTheUsageRecipient() async throws {
        let server = try await RunningServer.start()
        let metered = try await metered(server)
        let client = metered.client
        _ = try await client.call(
            AccountsUpdate.self,
            {
                var p = AccountsUpdate.Params(id: metered.child.id)
                p.usageInvoiceRecipientId = .set(metered.parent.id)
                return p
            }())
        _ = try await client.call(
            UsageRecord.self,
            .init(events: [
                event("p1", item: metered.parentItem, "400", at: "2026-01-10T10:00:00Z"),
                event("c1", item: metered.childItem, "1000", at: "2026-01-20T10:00:00Z"),
                event("c2", item: metered.childItem, "50", at: "2026-02-03T10:00:00Z"),
            ]))
        // Target 2026-02-01: January is over and billed the day after it ends; February is not.
        let run = try await invoiceRun(metered, target: "2026-02-01")
        #expect(run.status == "completed" && run.documents == 1 && run.transactions == 2)
        let invoices = try await client.call(InvoicesList.self, .init(runId: run.id)).items
        let invoice = try #require(invoices.first)
        // Both go to the group, the usage invoice recipient: 300 × 0.05 = 15.00, 900 × 0.05 = 45.00.
        #expect(invoice.accountId == metered.parent.id && invoice.subtotal == "60.00")
        #expect(invoice.lines.map(\.description) == ["API – Calls (Group)", "API – Calls (Branch)"])
        #expect(invoice.lines.map(\.quantity) == [d("400"), d("1000")])
        #expect(invoice.lines.map(\.amount) == ["15.00", "45.00"])
        #expect(invoice.lines.map(\.periodStart) == [day("2026-01-01"), day("2026-01-01")])

        // January is invoiced: late usage for it is refused; February's is still taken.
        let late = await rpcFailure {
            try await client.call(
                UsageRecord.self,
                .init(events: [
                    event("c3", item: metered.childItem, "1", at: "2026-02-05T10:00:00Z"),
                    event("c4", item: metered.childItem, "1", at: "2026-01-25T10:00:00Z"),
                ]))
        }
        #expect(late?.reason == "period_invoiced" && late?.field == "events[1]")
        // A partner resending what was stored before is told of duplicates, invoiced or not.
        let resent = try await client.call(
            UsageRecord.self, .init(events: [event("p1", item: metered.parentItem, "400", at: "2026-01-10T10:00:00Z")]))
        #expect(resent.duplicates == 1 && resent.recorded == 0)
        let again = try await invoiceRun(metered, target: "2026-02-01")
        #expect(again.documents == 0)
    }

    @Test func usageRecordedAfterRatingIsChargedAsTheDifference() async throws {
        let server = try await RunningServer.start()
        let metered = try await metered(server, aggregation: "max")
        let client = metered.client
        _ = try await client.call(
            UsageRecord.self,
            .init(events: [
                event("a", item: metered.parentItem, "300", at: "2026-01-05T10:00:00Z"),
                event("b", item: metered.parentItem, "250", at: "2026-01-06T10:00:00Z"),
            ]))
        // Peak 300: 200 over the included 100 → 10.00. Rated, not invoiced yet.
        let store = BillingStore(pool: try await TestDatabase.shared.appPool())
        let rating = UsageRating(store: store)
        #expect(try await rating.rate(before: day("2026-02-01"), accountIDs: nil, tenant: metered.tenantID) == 1)
        #expect(try await rating.rate(before: day("2026-02-01"), accountIDs: nil, tenant: metered.tenantID) == 0)
        _ = try await client.call(
            UsageRecord.self, .init(events: [event("c", item: metered.parentItem, "500", at: "2026-01-30T10:00:00Z")]))
        // The new peak 500 charges 20.00 in all: 10.00 more, in a second transaction.
        #expect(try await rating.rate(before: day("2026-02-01"), accountIDs: nil, tenant: metered.tenantID) == 1)
        await store.pool.close()
        let transactions = try await client.call(
            BillingTransactionsList.self, .init(accountId: metered.parent.id, limit: 10)
        ).items.filter { $0.kind == "usage" }
        #expect(transactions.map(\.amount) == ["10.00", "10.00"])
        #expect(transactions.map(\.billingDate) == [day("2026-02-01"), day("2026-02-01")])
        let run = try await invoiceRun(metered, target: "2026-02-01")
        let invoice = try #require(try await client.call(InvoicesList.self, .init(runId: run.id)).items.first)
        #expect(invoice.subtotal == "20.00" && invoice.lines.map(\.quantity) == [d("300"), d("500")])
        let summary = try await client.call(
            UsageSummary.self, .init(accountId: metered.parent.id, from: day("2026-01-15")))
        #expect(summary.items.first?.periods.map(\.status) == ["rated"])
        #expect(summary.items.first?.periods.map(\.amount) == ["20.00"])
    }

    @Test func terminationStopsBillingThePeriodsAfterItsEnd() async throws {
        let server = try await RunningServer.start()
        let metered = try await metered(server)
        let client = metered.client
        _ = try await client.call(
            UsageRecord.self,
            .init(events: [
                event("j", item: metered.parentItem, "400", at: "2026-01-10T10:00:00Z"),
                event("f", item: metered.parentItem, "300", at: "2026-02-10T10:00:00Z"),
                event("m", item: metered.parentItem, "900", at: "2026-03-10T10:00:00Z"),
            ]))
        let order = try await client.call(
            OrdersList.self, .init(accountId: metered.parent.id)
        ).items[0]
        _ = try await client.call(
            OrdersTerminateItems.self, .init(id: order.id, itemIds: [metered.parentItem], endDate: day("2026-02-15")))
        let late = await rpcFailure {
            try await client.call(
                UsageRecord.self,
                .init(events: [event("m2", item: metered.parentItem, "1", at: "2026-03-11T10:00:00Z")]))
        }
        #expect(late?.reason == "outside_service_period")
        // January (300 over the included 100) and February up to its end (the period 02-01…02-15:
        // 200 over) are billed; March, recorded before the termination, is not.
        let run = try await invoiceRun(metered, target: "2026-04-01")
        let invoice = try #require(try await client.call(InvoicesList.self, .init(runId: run.id)).items.first)
        #expect(invoice.lines.map(\.amount) == ["15.00", "10.00"] && invoice.subtotal == "25.00")
        #expect(invoice.lines.map(\.periodEnd) == [day("2026-01-31"), day("2026-02-15")])
        #expect(try await invoiceRun(metered, target: "2026-05-01").documents == 0)
    }
}
