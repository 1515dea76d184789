import BillingClient
import BillingCore
import BillingProtocol
import TestSupport
import Testing

/// `orders.activate_many`: many orders activated in one call write exactly what activating each
/// would, and a call that fails writes nothing.
extension OrderTests {
    @Test func activatingManyOrdersWritesWhatEachActivationWouldOnce() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        func account(_ name: String) async throws -> Account {
            try await client.call(AccountsCreate.self, .init(name: name, currency: "EUR", billingDay: 1))
        }
        func order(_ account: Account, from: String, to: String, _ items: [OrderItemInput]) async throws -> Order {
            try await client.call(
                OrdersCreate.self,
                .init(
                    accountId: account.id, type: "subscription", startDate: day(from), endDate: day(to), items: items))
        }
        let seatAndSetup = try await order(
            try await account("Calendar"), from: "2026-08-10", to: "2026-10-20",
            [
                OrderItemInput(
                    productId: setup.product.id, serviceCode: "seat", quantity: d("1"),
                    billingProcessId: setup.monthly.id),
                OrderItemInput(
                    productId: setup.product.id, serviceCode: "setup", quantity: d("2"),
                    billingProcessId: setup.once.id),
            ])
        let quarterly = try await order(
            try await account("Quarterly"), from: "2025-06-15", to: "2025-12-31",
            [
                OrderItemInput(
                    productId: setup.product.id, serviceCode: "seat", quantity: d("2"),
                    billingProcessId: setup.quarterlyArrears.id)
            ])
        let alreadyActive = try await order(
            try await account("Early"), from: "2026-01-01", to: "2026-02-28",
            [
                OrderItemInput(
                    productId: setup.product.id, serviceCode: "seat", quantity: d("1"), unitPrice: d("10"),
                    billingProcessId: setup.monthly.id)
            ])
        let early = try await client.call(OrdersActivate.self, .init(id: alreadyActive.id))

        let named = [quarterly.id, seatAndSetup.id, alreadyActive.id, seatAndSetup.id]
        let result = try await client.call(
            OrdersActivateMany.self, .init(ids: named, activationDate: day("2026-08-12")))
        // Each order once, in the order named; the one with nothing left to activate unchanged.
        #expect(
            result.orders == [
                .init(
                    id: quarterly.id, status: "active", version: 2, activatedItemIds: quarterly.items.map(\.id),
                    nextInvoiceDate: day("2025-07-01")),
                .init(
                    id: seatAndSetup.id, status: "active", version: 2, activatedItemIds: seatAndSetup.items.map(\.id),
                    nextInvoiceDate: day("2026-08-10")),
                .init(
                    id: alreadyActive.id, status: "active", version: early.version, activatedItemIds: [],
                    nextInvoiceDate: early.nextInvoiceDate),
            ])
        // The same orders activated one by one write these (OrderTests, computed by hand there).
        let seatAndSetupWritten = try await transactions(client, order: seatAndSetup.id)
        #expect(summary(seatAndSetupWritten) == Self.calendarOrderTransactions)
        #expect(seatAndSetupWritten.allSatisfy { $0.accountId == seatAndSetup.accountId })
        #expect(summary(try await transactions(client, order: quarterly.id)) == Self.quarterlyOrderTransactions)
        let fetched = try await client.call(OrdersGet.self, .init(id: seatAndSetup.id))
        #expect(fetched.items.allSatisfy { $0.status == "active" } && fetched.activatedAt != nil)

        // Again: nothing is written twice, no version moves, no event.
        let again = try await client.call(OrdersActivateMany.self, .init(ids: named))
        #expect(
            again.orders.map(\.version) == [2, 2, early.version] && again.orders.allSatisfy(\.activatedItemIds.isEmpty))
        #expect(try await transactions(client, order: seatAndSetup.id) == seatAndSetupWritten)
        let activations = try await BillingActivity.eventTypes(tenantID: setup.tenantID).filter {
            $0 == "order.activated"
        }
        #expect(activations.count == 3)
        await client.close()
        try await server.stop()
    }

    @Test func aFailingBulkActivationActivatesNothing() async throws {
        let server = try await RunningServer.start()
        let setup = try await setUp(server)
        let client = setup.client
        let seat = OrderItemInput(
            productId: setup.product.id, serviceCode: "seat", quantity: d("1"), billingProcessId: setup.monthly.id)
        func draft(_ name: String) async throws -> Order {
            let account = try await client.call(AccountsCreate.self, .init(name: name, currency: "EUR"))
            return try await client.call(
                OrdersCreate.self,
                .init(accountId: account.id, type: "subscription", startDate: day("2026-02-01"), items: [seat]))
        }
        let waiting = try await draft("Waiting")
        let withdrawn = try await draft("Withdrawn")
        _ = try await client.call(OrdersCancel.self, .init(id: withdrawn.id))
        let closing = try await draft("Closing")
        _ = try await client.call(AccountsClose.self, .init(id: closing.accountId))
        func failure(_ ids: [String]) async -> (code: Int, reason: String?, field: String?)? {
            await rpcFailure { try await client.call(OrdersActivateMany.self, .init(ids: ids)) }
        }
        let notFound = await failure([waiting.id, "999999999"])
        #expect(notFound?.code == -32003)
        #expect(await failure([waiting.id, "x"])?.code == -32003)
        let cancelled = await failure([waiting.id, withdrawn.id])
        #expect(cancelled?.code == -32005 && cancelled?.reason == "order_cancelled" && cancelled?.field == "ids")
        #expect(await failure([closing.id, waiting.id])?.reason == "account_closed")
        #expect(await failure([])?.reason == "invalid_order_count")
        #expect(await failure(Array(repeating: waiting.id, count: 501))?.reason == "invalid_order_count")

        // Another tenant's orders do not exist for this one.
        let (stranger, _) = try await server.tenantClient()
        #expect(
            await rpcFailure { try await stranger.call(OrdersActivateMany.self, .init(ids: [waiting.id])) }?.code
                == -32003)

        let untouched = try await client.call(OrdersGet.self, .init(id: waiting.id))
        #expect(untouched.status == "draft" && untouched.version == waiting.version)
        #expect(try await transactions(client, order: waiting.id).isEmpty)
        await stranger.close()
        await client.close()
        try await server.stop()
    }
}
