import BillingClient
import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import TestSupport
import Testing

/// Orders over the wire: activation writes the transactions of BILLING.md §1–5.
@Suite struct OrderTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// A tenant with a product of three services, list prices from 2026-01-01 and four billing processes.
    struct Setup {
        let client: BillingClient
        let tenantID: String
        let product: Product
        let monthly: BillingProcess
        let monthlyArrears: BillingProcess
        let quarterlyArrears: BillingProcess
        let noCredit: BillingProcess
        let once: BillingProcess
    }

    func setUp(_ server: RunningServer) async throws -> Setup {
        let (client, tenant) = try await server.tenantClient()
        let product = try await client.call(
            ProductsCreate.self,
            .init(
                code: "SAAS", name: "SaaS",
                services: [
                    ProductService(code: "seat", name: "Seat", kind: "recurring"),
                    ProductService(code: "setup", name: "Setup", kind: "one_time"),
                    ProductService(code: "calls", name: "Calls", kind: "usage"),
                ]))
        let book = try await client.call(PriceBooksCreate.self, .init(name: "List", currency: "EUR", isDefault: true))
        _ = try await client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: book.id,
                prices: [
                    PriceInput(
                        productId: product.id, serviceCode: "seat", unitPrice: d("50"), effectiveFrom: day("2020-01-01")
                    ),
                    PriceInput(
                        productId: product.id, serviceCode: "setup", unitPrice: d("99.5"),
                        effectiveFrom: day("2020-01-01")),
                    PriceInput(
                        productId: product.id, serviceCode: "calls", unitPrice: d("0.01"),
                        effectiveFrom: day("2020-01-01")),
                ]))
        func process(_ params: BillingProcessesCreate.Params) async throws -> BillingProcess {
            try await client.call(BillingProcessesCreate.self, params)
        }
        return Setup(
            client: client, tenantID: tenant.tenant.id, product: product,
            monthly: try await process(.init(name: "Monthly", kind: "recurring", frequency: "monthly")),
            monthlyArrears: try await process(
                .init(name: "Monthly arrears", kind: "recurring", frequency: "monthly", timing: "arrears")),
            quarterlyArrears: try await process(
                .init(name: "Quarterly arrears", kind: "recurring", frequency: "quarterly", timing: "arrears")),
            noCredit: try await process(
                .init(name: "Monthly, no credit", kind: "recurring", frequency: "monthly", creditPolicy: "none")),
            once: try await process(.init(name: "Once", kind: "one_time")))
    }

    func transactions(_ client: BillingClient, order: String) async throws -> [BillingTransaction] {
        try await client.call(BillingTransactionsList.self, .init(orderId: order, limit: 1000)).items
    }

    func summary(_ list: [BillingTransaction]) -> [String] {
        list.map {
            "\($0.kind) \($0.periodStart.map(\.description) ?? "-")…\($0.periodEnd.map(\.description) ?? "-") "
                + "\($0.amount) on \($0.billingDate.map(\.description) ?? "milestone") \($0.status)"
        }
    }

    /// A seat at 50.00 a month from 2026-08-10 to 2026-10-20, billing day 1, and a one-time setup
    /// of 2 × 99.50, activated on 2026-08-12. BILLING.md §2: 22/31 of 50.00 → 35.48; 20/31 → 32.26.
    static let calendarOrderTransactions = [
        "recurring 2026-08-10…2026-08-31 35.48 on 2026-08-10 pending",
        "recurring 2026-09-01…2026-09-30 50.00 on 2026-09-01 pending",
        "recurring 2026-10-01…2026-10-20 32.26 on 2026-10-01 pending",
        "one_time 2026-08-12…2026-08-12 199.00 on 2026-08-12 pending",
    ]

    /// Two seats at 150.00 a quarter (50.00 a month) from 2025-06-15 to 2025-12-31, in arrears
    /// (BILLING.md §2's quarterly example): a 16-day stub, then two full quarters.
    static let quarterlyOrderTransactions = [
        "recurring 2025-06-15…2025-06-30 52.75 on 2025-07-01 pending",
        "recurring 2025-07-01…2025-09-30 300.00 on 2025-10-01 pending",
        "recurring 2025-10-01…2025-12-31 300.00 on 2026-01-01 pending",
    ]

    @Test func activationWritesStubProratedAndFullPeriodsOnce() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        let account = try await client.call(
            AccountsCreate.self, .init(name: "Calendar", currency: "EUR", billingDay: 1))
        let created = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: account.id, type: "subscription", startDate: day("2026-08-10"), endDate: day("2026-10-20"),
                items: [
                    OrderItemInput(
                        productId: setup.product.id, serviceCode: "seat", quantity: d("1"),
                        billingProcessId: setup.monthly.id),
                    OrderItemInput(
                        productId: setup.product.id, serviceCode: "setup", quantity: d("2"),
                        billingProcessId: setup.once.id),
                ]))
        #expect(created.status == "draft" && created.billingDay == 1 && created.nextInvoiceDate == nil)
        #expect(created.items.map(\.priceSource) == ["default_price_book", "default_price_book"])
        #expect(created.items[0].unitPrice == d("50") && created.items[0].status == "draft")
        #expect(try await transactions(client, order: created.id).isEmpty)
        // A later list price does not change the price frozen on the item.
        let book = try #require(try await client.call(PriceBooksList.self, .init(currency: "EUR")).items.first)
        _ = try await client.call(
            PriceBooksSetPrices.self,
            .init(
                priceBookId: book.id,
                prices: [
                    PriceInput(
                        productId: setup.product.id, serviceCode: "seat", unitPrice: d("60"),
                        effectiveFrom: day("2026-08-01"))
                ]))

        let active = try await client.call(
            OrdersActivate.self, .init(id: created.id, activationDate: day("2026-08-12")))
        #expect(active.status == "active" && active.items.allSatisfy { $0.status == "active" })
        #expect(active.nextInvoiceDate == day("2026-08-10"))
        let written = try await transactions(client, order: created.id)
        // BILLING.md §2: 50.00 from Aug 10 with d = 1 → 22/31 → 35.48; an end on Oct 20 → 20/31 → 32.26.
        #expect(summary(written) == Self.calendarOrderTransactions)
        #expect(written.allSatisfy { $0.accountId == account.id && $0.currency == "EUR" })

        let again = try await client.call(OrdersActivate.self, .init(id: created.id))
        #expect(again.version == active.version)
        #expect(try await transactions(client, order: created.id) == written)
        let types = try await BillingActivity.eventTypes(tenantID: setup.tenantID).filter { $0.hasPrefix("order.") }
        #expect(types == ["order.created", "order.activated"])
        // The account's currency is now locked by its billing activity.
        var change = AccountsUpdate.Params(id: account.id)
        change.currency = "USD"
        #expect(await rpcFailure { try await client.call(AccountsUpdate.self, change) }?.reason == "currency_locked")
        await client.close()
        try await server.stop()
    }

    @Test func quarterlyInArrearsConvertsAMonthlyPrice() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        let account = try await client.call(
            AccountsCreate.self, .init(name: "Quarterly", currency: "EUR", billingDay: 1))
        let order = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: account.id, type: "subscription", startDate: day("2025-06-15"), endDate: day("2025-12-31"),
                items: [
                    OrderItemInput(
                        productId: setup.product.id, serviceCode: "seat", quantity: d("2"),
                        billingProcessId: setup.quarterlyArrears.id)
                ]))
        // 50.00 a month is 150.00 a quarter; two seats: 300.00 a quarter (BILLING.md §2's quarterly example).
        #expect(order.items[0].unitPrice == d("150"))
        _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2025-06-15")))
        #expect(summary(try await transactions(client, order: order.id)) == Self.quarterlyOrderTransactions)
        await client.close()
        try await server.stop()
    }

    @Test func openEndedItemsBillTwelveMonthsAheadAndTheDailyJobExtendsThem() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        let account = try await client.call(AccountsCreate.self, .init(name: "Open", currency: "EUR"))
        let order = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: account.id, type: "subscription", startDate: day("2025-01-20"),
                items: [
                    OrderItemInput(
                        productId: setup.product.id, serviceCode: "seat", quantity: d("1"), unitPrice: d("10"),
                        billingProcessId: setup.monthly.id)
                ]))
        #expect(order.billingDay == 20 && order.items[0].priceSource == "explicit")
        _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2025-01-20")))
        let first = try await transactions(client, order: order.id)
        // Anniversary billing on the 20th: periods starting 2025-01-20 … 2026-01-20.
        #expect(first.count == 13 && first.allSatisfy { $0.amount == "10.00" })
        #expect(first.last?.periodStart == day("2026-01-20"))

        // The daily job, run twice: periods through twelve months from the tenant's today, once.
        let store = BillingStore(pool: try await TestDatabase.shared.appPool())
        let tenant = try #require(TenantID(setup.tenantID))
        let added = try await store.inTenant(tenant) { try await OrderService.extendHorizons(in: $0) }
        #expect(try await store.inTenant(tenant) { try await OrderService.extendHorizons(in: $0) } == 0)
        await store.pool.close()
        let extended = try await transactions(client, order: order.id)
        #expect(extended.count == first.count + added && added > 0)
        let today = PriceTests.todayInParis()
        let horizon = today.dayOfMonth(today.day, monthsLater: 12)!
        #expect(
            extended.last!.periodStart! <= horizon
                && extended.last!.periodStart!.dayOfMonth(20, monthsLater: 1)! > horizon)
        #expect(Set(extended.map(\.periodStart)).count == extended.count)
        await client.close()
        try await server.stop()
    }

    @Test func endingAnOpenEndedItemBeyondItsHorizonBillsUpToTheEnd() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        let account = try await client.call(AccountsCreate.self, .init(name: "Open then closed", currency: "EUR"))
        let order = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: account.id, type: "subscription", startDate: day("2025-01-20"),
                items: [
                    OrderItemInput(
                        productId: setup.product.id, serviceCode: "seat", quantity: d("1"), unitPrice: d("10"),
                        billingProcessId: setup.monthly.id),
                    OrderItemInput(
                        productId: setup.product.id, serviceCode: "setup", quantity: d("1"),
                        billingProcessId: setup.once.id, startDate: day("2025-02-03")),
                ]))
        _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2025-01-25")))
        #expect(order.items.map(\.serviceDate) == [nil, day("2025-02-03")])
        // A one-time item with its own date is billed on it, not on the activation date.
        let setupFee = try await transactions(client, order: order.id).filter { $0.kind == "one_time" }
        #expect(setupFee.map { "\($0.amount) on \($0.billingDate!)" } == ["99.50 on 2025-02-03"])
        let closing = await rpcFailure { try await client.call(AccountsClose.self, .init(id: account.id)) }
        #expect(closing?.reason == "has_active_orders")

        _ = try await client.call(
            OrdersTerminateItems.self, .init(id: order.id, itemIds: [order.items[0].id], endDate: day("2026-06-10")))
        let periods = try await transactions(client, order: order.id).filter { $0.kind == "recurring" }
        // Written through 2026-01-20 at activation; the end on 2026-06-10 adds the periods up to it,
        // the last cut to May 20 – Jun 10: 22 of 31 days × 10.00 = 7.10.
        #expect(periods.count == 17 && periods.allSatisfy { $0.status == "pending" })
        #expect(
            summary(Array(periods.suffix(2))) == [
                "recurring 2026-04-20…2026-05-19 10.00 on 2026-04-20 pending",
                "recurring 2026-05-20…2026-06-10 7.10 on 2026-05-20 pending",
            ])
        // The setup item is still active: terminating it lets the account close.
        _ = try await client.call(
            OrdersTerminateItems.self, .init(id: order.id, itemIds: [order.items[1].id], endDate: day("2026-06-10")))
        #expect(try await client.call(AccountsClose.self, .init(id: account.id)).status == "closed")

        // A service on an order keeps its kind, as a priced one does (this one has no price at all).
        let unpriced = try await client.call(
            ProductsCreate.self,
            .init(
                code: "CUSTOM", name: "Custom",
                services: [ProductService(code: "work", name: "Work", kind: "recurring")]))
        _ = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: try await client.call(AccountsCreate.self, .init(name: "Custom buyer", currency: "EUR")).id,
                type: "advertising", startDate: day("2026-01-01"),
                items: [
                    OrderItemInput(
                        productId: unpriced.id, quantity: d("1"), unitPrice: d("5"), billingProcessId: setup.monthly.id)
                ]))
        var params = ProductsUpdate.Params(id: unpriced.id)
        params.services = [ProductService(code: "work", name: "Work", kind: "one_time")]
        #expect(await rpcFailure { try await client.call(ProductsUpdate.self, params) }?.reason == "service_has_prices")
        await client.close()
        try await server.stop()
    }

    @Test func installmentPlansSplitExactlyAndWaitForMilestones() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        let refused = await rpcFailure {
            try await client.call(
                BillingProcessesCreate.self,
                .init(
                    name: "Bad", kind: "installments",
                    plan: [PlanStep(percent: d("30"), offsetDays: 0), PlanStep(percent: d("30"), offsetDays: 30)]))
        }
        #expect(refused?.reason == "percentages_not_100" && refused?.field == "plan")
        let plan = try await client.call(
            BillingProcessesCreate.self,
            .init(
                name: "30-30-40", kind: "installments",
                plan: [
                    PlanStep(percent: d("30"), offsetDays: 0), PlanStep(percent: d("30"), offsetMonths: 1),
                    PlanStep(percent: d("40"), milestone: "go-live"),
                ]))
        #expect(plan.plan?.count == 3 && plan.frequency == nil)
        let account = try await client.call(AccountsCreate.self, .init(name: "Investor", currency: "EUR"))
        let order = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: account.id, type: "investment", startDate: day("2026-03-31"),
                items: [
                    OrderItemInput(
                        productId: setup.product.id, serviceCode: "setup", quantity: d("1"), unitPrice: d("1000.01"),
                        billingProcessId: plan.id)
                ]))
        let active = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2026-03-31")))
        // BILLING.md §5: 30/30/40 of 1,000.01 → 300.00, 300.00, 400.01; a month after Mar 31 is Apr 30.
        #expect(
            summary(try await transactions(client, order: order.id)) == [
                "installment -…- 300.00 on 2026-03-31 pending", "installment -…- 300.00 on 2026-04-30 pending",
                "installment -…- 400.01 on milestone pending",
            ])
        #expect(active.nextInvoiceDate == day("2026-03-31"))
        let unknown = await rpcFailure {
            try await client.call(OrdersReachMilestone.self, .init(itemId: order.items[0].id, milestone: "handover"))
        }
        #expect(unknown?.reason == "unknown_milestone")
        _ = try await client.call(
            OrdersReachMilestone.self, .init(itemId: order.items[0].id, milestone: "go-live", date: day("2026-06-15")))
        let reached = try await transactions(client, order: order.id)
        #expect(reached[2].billingDate == day("2026-06-15") && reached[2].milestone == "go-live")
        await client.close()
        try await server.stop()
    }

    @Test func terminationCutsPendingPeriodsAndCreditsBilledOnes() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        let account = try await client.call(AccountsCreate.self, .init(name: "Leaving", currency: "EUR", billingDay: 1))
        func item(_ process: BillingProcess, price: String) -> OrderItemInput {
            OrderItemInput(
                productId: setup.product.id, serviceCode: "seat", quantity: d("1"), unitPrice: d(price),
                billingProcessId: process.id)
        }
        let order = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: account.id, type: "subscription", startDate: day("2026-01-01"), endDate: day("2026-12-31"),
                items: [
                    item(setup.monthly, price: "31"), item(setup.noCredit, price: "31"),
                    item(setup.monthlyArrears, price: "30"),
                ]))
        _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day("2026-01-01")))
        let before = try await transactions(client, order: order.id)
        #expect(before.count == 36)
        // January to March of the advance items were invoiced.
        let invoiced = before.filter {
            $0.orderItemId != order.items[2].id && $0.periodStart! <= day("2026-03-01")
        }
        try await BillingActivity.invoice(transactionIDs: invoiced.map(\.id))

        let ended = try await client.call(
            OrdersTerminateItems.self, .init(id: order.id, itemIds: order.items.map(\.id), endDate: day("2026-03-10")))
        #expect(ended.items.allSatisfy { $0.status == "terminated" && $0.endDate == day("2026-03-10") })
        let after = try await transactions(client, order: order.id)
        func of(_ index: Int, _ status: String? = nil) -> [BillingTransaction] {
            after.filter { $0.orderItemId == order.items[index].id && (status == nil || $0.status == status) }
        }
        // Advance, prorate: March was billed, its 21 unused days of 31 are credited on the end date.
        #expect(
            of(0).filter { $0.kind == "credit" }.map { "\($0.amount) on \($0.billingDate!)" } == [
                "-21.00 on 2026-03-10"
            ])
        #expect(of(0, "cancelled").count == 9 && of(0, "pending").map(\.kind) == ["credit"])
        // Credit policy none: no credit.
        #expect(of(1).filter { $0.kind == "credit" }.isEmpty && of(1, "cancelled").count == 9)
        // Arrears: March was not billed yet, so it is cut to Mar 1–10 and billed the day after (BILLING.md §2: 9.68).
        #expect(
            summary(of(2, "pending")) == [
                "recurring 2026-01-01…2026-01-31 30.00 on 2026-02-01 pending",
                "recurring 2026-02-01…2026-02-28 30.00 on 2026-03-01 pending",
                "recurring 2026-03-01…2026-03-10 9.68 on 2026-03-11 pending",
            ])
        let again = await rpcFailure {
            try await client.call(
                OrdersTerminateItems.self, .init(id: order.id, itemIds: [order.items[0].id], endDate: day("2026-03-05"))
            )
        }
        #expect(again?.reason == "item_not_active")
        let types = try await BillingActivity.eventTypes(tenantID: setup.tenantID).filter { $0.hasPrefix("order.item") }
        #expect(types == Array(repeating: "order.item_terminated", count: 3))
        await client.close()
        try await server.stop()
    }

    @Test func aNewSubscriptionJoinsTheRunningOneUnlessAskedNotTo() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        let account = try await client.call(AccountsCreate.self, .init(name: "Growing", currency: "EUR"))
        let seat = OrderItemInput(
            productId: setup.product.id, serviceCode: "seat", quantity: d("1"), billingProcessId: setup.monthly.id)
        let running = try await client.call(
            OrdersCreate.self,
            .init(accountId: account.id, type: "subscription", startDate: day("2026-01-01"), items: [seat]))
        #expect(running.billingDay == 1)
        // A draft order is not running yet: a second subscription is a new order.
        let draft = try await client.call(
            OrdersCreate.self,
            .init(accountId: account.id, type: "subscription", startDate: day("2026-01-01"), items: [seat]))
        #expect(draft.id != running.id && draft.incrementedOrderId == nil)
        _ = try await client.call(OrdersCancel.self, .init(id: draft.id))
        let cancelled = await rpcFailure { try await client.call(OrdersActivate.self, .init(id: draft.id)) }
        #expect(cancelled?.reason == "order_cancelled")
        _ = try await client.call(OrdersActivate.self, .init(id: running.id, activationDate: day("2026-01-01")))

        var more = seat
        more.quantity = d("3")
        let grown = try await client.call(
            OrdersCreate.self,
            .init(accountId: account.id, type: "subscription", startDate: day("2026-05-15"), items: [more]))
        #expect(grown.id == running.id && grown.incrementedOrderId == running.id)
        #expect(
            grown.items.count == 2 && grown.items[1].status == "draft" && grown.items[1].startDate == day("2026-05-15"))
        #expect(grown.items[1].billingDay == 1)
        _ = try await client.call(
            OrdersActivate.self, .init(id: running.id, itemIds: [grown.items[1].id], activationDate: day("2026-05-15")))
        let added = try await client.call(
            BillingTransactionsList.self, .init(orderId: running.id, from: day("2026-05-01"), to: day("2026-06-30"))
        ).items.filter { $0.orderItemId == grown.items[1].id }
        // Aligned to the order's billing day: a stub May 15–31 (17 of 31 days × 150.00 = 82.26), then June.
        #expect(
            summary(added) == [
                "recurring 2026-05-15…2026-05-31 82.26 on 2026-05-15 pending",
                "recurring 2026-06-01…2026-06-30 150.00 on 2026-06-01 pending",
            ])
        let separate = try await client.call(
            OrdersCreate.self,
            .init(
                accountId: account.id, type: "subscription", startDate: day("2026-05-15"), newOrder: true, items: [more]
            ))
        #expect(separate.id != running.id && separate.incrementedOrderId == nil && separate.billingDay == 15)
        let types = try await BillingActivity.eventTypes(tenantID: setup.tenantID).filter { $0.hasPrefix("order.") }
        #expect(
            types == [
                "order.created", "order.created", "order.cancelled", "order.activated", "order.items_added",
                "order.activated", "order.created",
            ])
        await client.close()
        try await server.stop()
    }

    @Test func everyBadOrderHasItsReason() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        let account = try await client.call(AccountsCreate.self, .init(name: "Checked", currency: "EUR"))
        let dollars = try await client.call(PriceBooksCreate.self, .init(name: "USD", currency: "USD"))
        let seat = OrderItemInput(
            productId: setup.product.id, serviceCode: "seat", quantity: d("1"), billingProcessId: setup.monthly.id)
        func order(
            _ items: [OrderItemInput], end: String? = nil, book: String? = nil
        ) async -> (code: Int, reason: String?, field: String?)? {
            await rpcFailure {
                try await client.call(
                    OrdersCreate.self,
                    .init(
                        accountId: account.id, type: "subscription", priceBookId: book,
                        startDate: day("2026-02-01"), endDate: end.map(day), items: items))
            }
        }
        var zero = seat
        zero.quantity = .zero
        var unknownProcess = seat
        unknownProcess.billingProcessId = "999999999"
        var wrongProcess = seat
        wrongProcess.billingProcessId = setup.once.id
        var noService = seat
        noService.serviceCode = nil
        var itemEnd = seat
        itemEnd.endDate = day("2026-01-31")
        let cases: [((code: Int, reason: String?, field: String?)?, String, String)] = [
            (await order([seat], end: "2026-01-31"), "end_before_start", "end_date"),
            (await order([itemEnd]), "end_before_start", "items[0].end_date"),
            (await order([zero]), "invalid_quantity", "items[0].quantity"),
            (
                await order([unknownProcess]), "unknown_billing_process",
                "items[0].billing_process_id"
            ),
            (await order([wrongProcess]), "process_mismatch", "items[0].billing_process_id"),
            (await order([noService]), "service_required", "items[0].service_code"),
            (await order([seat], book: dollars.id), "currency_mismatch", "price_book_id"),
            (await order([]), "invalid_item_count", "items"),
        ]
        for (got, reason, field) in cases {
            #expect(
                got?.code == -32005 && got?.reason == reason && got?.field == field,
                "\(reason): \(String(describing: got))")
        }
        // No price anywhere before 2020: no_price for that item.
        let early = await rpcFailure {
            try await client.call(
                OrdersCreate.self,
                .init(accountId: account.id, type: "subscription", startDate: day("2019-12-01"), items: [seat]))
        }
        #expect(early?.reason == "no_price" && early?.field == "items[0]")
        _ = try await client.call(AccountsClose.self, .init(id: account.id))
        #expect(await order([seat])?.reason == "account_closed")

        let (stranger, _) = try await server.tenantClient()
        let mine = try await client.call(AccountsCreate.self, .init(name: "Mine", currency: "EUR"))
        let hidden = try await client.call(
            OrdersCreate.self,
            .init(accountId: mine.id, type: "advertising", startDate: day("2026-02-01"), items: [seat]))
        #expect(await rpcFailure { try await stranger.call(OrdersGet.self, .init(id: hidden.id)) }?.code == -32003)
        #expect(try await stranger.call(BillingTransactionsList.self, .init()).items.isEmpty)
        #expect(try await stranger.call(OrdersList.self, .init()).items.isEmpty)
        await stranger.close()
        await client.close()
        try await server.stop()
    }
}
