import BillingClient
import BillingCore
import BillingProtocol
import TestSupport
import Testing

/// Opportunities over the wire: priced line items, product schedules (BILLING.md §6) and stages,
/// the won stage making the order once.
@Suite struct OpportunityTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func lineItemsArePricedByTheCatalogOrOverriddenLessTheirDiscount() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        // 10 seats at 50.00 less 10% = 450.00; 1 setup at an overridden 200.00.
        let created = try await sales.opportunity([sales.seat("10", discount: "10"), sales.setup("1", price: "200")])
        #expect(created.stage == "prospecting" && created.outcome == "open" && created.orderId == nil)
        #expect(created.items.map(\.amount) == ["450.00", "200.00"])
        #expect(created.items.map(\.priceSource) == ["default_price_book", "explicit"])
        #expect(created.items.map(\.unitPrice) == [d("50"), d("200")])
        #expect(created.amount == "650.00" && created.nextInvoiceDate == nil)
        #expect(try await sales.client.call(OpportunitiesGet.self, .init(id: created.id)) == created)

        let failure = await rpcFailure {
            try await sales.client.call(
                OpportunitiesUpdate.self,
                {
                    var p = OpportunitiesUpdate.Params(id: created.id)
                    p.items = [sales.seat("1", discount: "100.5")]
                    return p
                }())
        }
        #expect(failure?.reason == "invalid_discount" && failure?.field == "items[0].discount_percent")
        var replace = OpportunitiesUpdate.Params(id: created.id, expectedVersion: created.version)
        replace.items = [sales.seat("3", discount: "12.5")]
        let updated = try await sales.client.call(OpportunitiesUpdate.self, replace)
        // 3 × 50.00 = 150.00 less 12.5% = 131.25.
        #expect(updated.items.map(\.amount) == ["131.25"] && updated.amount == "131.25")
        #expect(updated.version == created.version + 1)
        let stale = await rpcFailure { try await sales.client.call(OpportunitiesUpdate.self, replace) }
        #expect(stale?.code == RPCErrorCode.conflict.code)
    }

    @Test func schedulesSumExactlyToTheLine() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        let created = try await sales.opportunity([sales.seat("1"), sales.setup("1", price: "200")])
        let seat = created.items[0].id
        let setup = created.items[1].id
        // BILLING.md §6: 1,205.00 over 12 monthly → 11 × 100.42 + 100.38, from a month end.
        let revenue = try await sales.client.call(
            OpportunitiesSetSchedule.self,
            .init(
                itemId: seat, type: "revenue",
                revenueSchedule: ScheduleSpreadInput(
                    mode: "divide", period: "monthly", installments: 12, startDate: day("2090-01-31"), amount: d("1205")
                )))
        let seatSchedule = try #require(revenue.items[0].schedule)
        #expect(seatSchedule.installments.map(\.revenue) == Array(repeating: "100.42", count: 11) + ["100.38"])
        #expect(
            seatSchedule.installments.prefix(3).map(\.date) == [
                day("2090-01-31"), day("2090-02-28"), day("2090-03-31"),
            ])
        #expect(revenue.items[0].amount == "1205.00" && revenue.amount == "1405.00")
        #expect(revenue.nextInvoiceDate == day("2090-01-31"))

        // Both: 1 setup over 3 → 0.33, 0.33, 0.34; its 200.00 divided → 66.67, 66.67, 66.66.
        let both = try await sales.client.call(
            OpportunitiesSetSchedule.self,
            .init(
                itemId: setup, type: "both",
                quantitySchedule: ScheduleSpreadInput(
                    mode: "divide", period: "weekly", installments: 3, startDate: day("2020-12-28")),
                revenueSchedule: ScheduleSpreadInput(mode: "divide", period: "weekly", installments: 3)))
        let setupSchedule = try #require(both.items[1].schedule)
        #expect(setupSchedule.installments.map(\.quantity) == ["0.33", "0.33", "0.34"])
        #expect(setupSchedule.installments.map(\.revenue) == ["66.67", "66.67", "66.66"])
        #expect(setupSchedule.installments.map(\.date) == [day("2020-12-28"), day("2021-01-04"), day("2021-01-11")])
        #expect(both.items[1].quantity == d("1") && both.items[1].amount == "200.00")
        // Past installments do not count: the next is still the seat's first.
        #expect(both.nextInvoiceDate == day("2090-01-31"))

        // Repeat: 4 seats each quarter, four times → 16 seats, 800.00.
        let repeated = try await sales.client.call(
            OpportunitiesSetSchedule.self,
            .init(
                itemId: seat, type: "quantity",
                quantitySchedule: ScheduleSpreadInput(
                    mode: "repeat", period: "quarterly", installments: 4, startDate: day("2091-05-31"), quantity: d("4")
                )))
        #expect(repeated.items[0].quantity == d("16") && repeated.items[0].amount == "800.00")
        #expect(repeated.items[0].schedule?.installments.map(\.date).last == day("2092-02-29"))
        #expect(repeated.amount == "1000.00" && repeated.nextInvoiceDate == day("2091-05-31"))

        let tooMany = await rpcFailure {
            try await sales.client.call(
                OpportunitiesSetSchedule.self,
                .init(
                    itemId: seat, type: "revenue",
                    revenueSchedule: ScheduleSpreadInput(mode: "divide", period: "daily", installments: 151)))
        }
        #expect(tooMany?.reason == "invalid_installments" && tooMany?.field == "revenue_schedule.installments")
        // 1.00 over 150: 149 × 0.01 would leave −0.49 for the last installment.
        let tooFine = await rpcFailure {
            try await sales.client.call(
                OpportunitiesSetSchedule.self,
                .init(
                    itemId: seat, type: "revenue",
                    revenueSchedule: ScheduleSpreadInput(
                        mode: "divide", period: "daily", installments: 150, amount: d("1"))))
        }
        #expect(tooFine?.reason == "schedule_too_fine" && tooFine?.field == "revenue_schedule.installments")
        let cleared = try await sales.client.call(OpportunitiesSetSchedule.self, .init(itemId: setup, type: "none"))
        #expect(cleared.items[1].schedule == nil && cleared.items[1].amount == "200.00")
    }

    @Test func winningMakesTheOrderOnce() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        let created = try await sales.opportunity([sales.seat("10", discount: "10"), sales.setup("2")])
        let proposal = try await sales.client.call(OpportunitiesSetStage.self, .init(id: created.id, stage: "proposal"))
        let noOrders = try await sales.orders()
        #expect(proposal.outcome == "open" && proposal.orderId == nil && noOrders.isEmpty)

        let won = try await sales.client.call(OpportunitiesSetStage.self, .init(id: created.id, stage: "closed_won"))
        let orderID = try #require(won.orderId)
        #expect(won.outcome == "won" && won.closedAt != nil)
        let again = try await sales.client.call(OpportunitiesSetStage.self, .init(id: created.id, stage: "closed_won"))
        #expect(again.orderId == orderID)
        let orders = try await sales.orders()
        #expect(orders.map(\.id) == [orderID])
        let order = orders[0]
        // The discount is frozen into the order's price: 50.00 less 10% = 45.00.
        #expect(order.status == "draft" && order.startDate == day("2026-01-01") && order.endDate == day("2026-12-31"))
        #expect(
            order.items.map(\.unitPrice) == [d("45"), d("99.5")] && order.items.map(\.quantity) == [d("10"), d("2")])
        #expect(order.type == "subscription" && order.billingDay == 1)

        let reopen = await rpcFailure {
            try await sales.client.call(OpportunitiesSetStage.self, .init(id: created.id, stage: "negotiation"))
        }
        #expect(reopen?.reason == "opportunity_won")
        var change = OpportunitiesUpdate.Params(id: created.id)
        change.items = [sales.seat("1")]
        #expect(
            await rpcFailure { try await sales.client.call(OpportunitiesUpdate.self, change) }?.reason
                == "opportunity_closed")

        // Once activated, the opportunity shows its order's next invoice date.
        let active = try await sales.client.call(
            OrdersActivate.self, .init(id: orderID, activationDate: day("2026-01-01")))
        let shown = try await sales.client.call(OpportunitiesGet.self, .init(id: created.id))
        #expect(active.nextInvoiceDate == day("2026-01-01") && shown.nextInvoiceDate == active.nextInvoiceDate)

        let types = try await BillingActivity.eventTypes(tenantID: sales.tenantID).filter {
            $0.hasPrefix("opportunity.") || $0 == "order.created"
        }
        #expect(
            types == [
                "opportunity.created", "opportunity.stage_changed", "order.created", "opportunity.stage_changed",
                "opportunity.won",
            ])
    }

    @Test func stagesAreTheTenantsAndWinningCanLeaveTheOrderToThePartner() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        let defaults = try await sales.client.call(SalesSettingsGet.self, NoParams())
        #expect(
            defaults.stages.map(\.name) == [
                "prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost",
            ])
        #expect(defaults.createOrderOnWon && defaults.renewalLeadDays == 30 && defaults.renewalPricing == "same")
        let settings = try await sales.client.call(
            SalesSettingsUpdate.self,
            .init(
                stages: [
                    SalesStage(name: "lead", outcome: "open"), SalesStage(name: "signed", outcome: "won"),
                    SalesStage(name: "gone", outcome: "lost"),
                ], createOrderOnWon: false))
        #expect(settings.version == 1 && !settings.createOrderOnWon)
        let invalid = await rpcFailure {
            try await sales.client.call(
                SalesSettingsUpdate.self, .init(stages: [SalesStage(name: "lead", outcome: "open")]))
        }
        #expect(invalid?.reason == "invalid_stages")

        let created = try await sales.opportunity([sales.seat("1")])
        #expect(created.stage == "lead")
        let unknown = await rpcFailure {
            try await sales.client.call(OpportunitiesSetStage.self, .init(id: created.id, stage: "closed_won"))
        }
        #expect(unknown?.reason == "unknown_stage")
        let inUse = await rpcFailure {
            try await sales.client.call(
                SalesSettingsUpdate.self,
                .init(stages: [
                    SalesStage(name: "open", outcome: "open"), SalesStage(name: "signed", outcome: "won"),
                    SalesStage(name: "gone", outcome: "lost"),
                ]))
        }
        #expect(inUse?.reason == "stage_in_use")
        let won = try await sales.client.call(OpportunitiesSetStage.self, .init(id: created.id, stage: "signed"))
        let orders = try await sales.orders()
        #expect(won.outcome == "won" && won.orderId == nil && orders.isEmpty)
        let lost = try await sales.client.call(OpportunitiesSetStage.self, .init(id: created.id, stage: "gone"))
        #expect(lost.outcome == "lost")
    }

    @Test func upsertMirrorsTheCRMWithoutReplacingUnchangedItems() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        let input = OpportunityInput(
            accountId: sales.account.id, name: "CRM deal", closeDate: day("2026-06-30"),
            items: [sales.seat("5"), sales.setup("1")], externalId: "sf-006A")
        let first = try await sales.client.call(OpportunitiesUpsert.self, input)
        #expect(first.created && first.opportunity.amount == "349.50")
        let same = try await sales.client.call(OpportunitiesUpsert.self, input)
        #expect(!same.created && same.opportunity == first.opportunity)
        var renamed = input
        renamed.name = "CRM deal (renamed)"
        renamed.stage = "negotiation"
        let second = try await sales.client.call(OpportunitiesUpsert.self, renamed)
        #expect(second.opportunity.items.map(\.id) == first.opportunity.items.map(\.id))
        #expect(second.opportunity.stage == "negotiation" && second.opportunity.name == "CRM deal (renamed)")
        var fewer = renamed
        fewer.items = [sales.seat("6")]
        let third = try await sales.client.call(OpportunitiesUpsert.self, fewer)
        #expect(third.opportunity.items.count == 1 && third.opportunity.amount == "300.00")
        let page = try await sales.client.call(OpportunitiesList.self, .init(accountId: sales.account.id))
        #expect(page.items.map(\.id) == [first.opportunity.id])

        // Lost, then reopened with other items in one upsert.
        var lost = fewer
        lost.stage = "closed_lost"
        #expect(try await sales.client.call(OpportunitiesUpsert.self, lost).opportunity.outcome == "lost")
        var reopened = fewer
        reopened.stage = "proposal"
        reopened.items = [sales.seat("2")]
        let again = try await sales.client.call(OpportunitiesUpsert.self, reopened).opportunity
        #expect(again.outcome == "open" && again.closedAt == nil && again.amount == "100.00")

        // A deal the CRM mirrors already won is created won, with its order.
        var closed = input
        closed.externalId = "sf-006B"
        closed.stage = "closed_won"
        let won = try await sales.client.call(OpportunitiesUpsert.self, closed)
        #expect(won.created && won.opportunity.outcome == "won" && won.opportunity.stage == "closed_won")
        let orderID = try #require(won.opportunity.orderId)
        let order = try await sales.client.call(OrdersGet.self, .init(id: orderID))
        #expect(order.items.map(\.quantity) == [d("5"), d("1")] && order.startDate == day("2026-06-30"))
    }
}

/// Partners retry and race: however many sessions win the same opportunity or accept its quote at
/// once, it becomes one order.
@Suite struct OpportunityRaceTests {
    @Test func concurrentWinsAndAcceptsMakeOneOrder() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        let opportunity = try await sales.opportunity([sales.seat("4")])
        let quote = try await sales.client.call(QuotesCreate.self, .init(opportunityId: opportunity.id))
        var sessions: [BillingClient] = []
        for _ in 0..<6 { sessions.append(try await sales.session(server)) }
        let outcomes = await withTaskGroup(of: String?.self) { group in
            for (index, session) in sessions.enumerated() {
                group.addTask {
                    do {
                        if index.isMultiple(of: 2) {
                            return try await session.call(
                                OpportunitiesSetStage.self, .init(id: opportunity.id, stage: "closed_won")
                            ).orderId
                        }
                        return try await session.call(QuotesAccept.self, .init(id: quote.id)).orderId
                    } catch let error as RPCError {
                        return error.data.reason
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        let orders = try await sales.orders()
        #expect(orders.count == 1)
        let orderID = try #require(orders.first?.id)
        // Each call either saw the order or, accepting after the win, was told the opportunity has one.
        #expect(outcomes.allSatisfy { $0 == orderID || $0 == "opportunity_has_order" })
        let won = try await sales.client.call(OpportunitiesGet.self, .init(id: opportunity.id))
        #expect(won.orderId == orderID && won.outcome == "won")
        for session in sessions { await session.close() }
    }
}
