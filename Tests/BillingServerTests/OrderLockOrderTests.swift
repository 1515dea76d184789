import BillingClient
import BillingCore
import BillingProtocol
import TestSupport
import Testing

/// Every change of an order locks its account before the order, as `orders.create` does, so
/// changes of a running subscription and new subscription orders joining it never deadlock.
@Suite struct OrderLockOrderTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func orderChangesAndSubscriptionOrdersOfOneAccountNeverDeadlock() async throws {
        let server = try await RunningServer.start()
        let sales = try await SalesFixture.start(server)
        let seat = OrderItemInput(
            productId: sales.product.id, serviceCode: "seat", quantity: d("1"), billingProcessId: sales.monthly.id)
        let running = try await sales.client.call(
            OrdersCreate.self,
            .init(accountId: sales.account.id, type: "subscription", startDate: day("2026-01-01"), items: [seat]))
        _ = try await sales.client.call(OrdersActivate.self, .init(id: running.id, activationDate: day("2026-01-01")))
        var sessions: [BillingClient] = []
        for _ in 0..<8 { sessions.append(try await sales.session(server)) }
        let failures = await withTaskGroup(of: [String].self) { group in
            for (index, session) in sessions.enumerated() {
                group.addTask {
                    var failures: [String] = []
                    for round in 0..<6 {
                        do {
                            switch (index + round) % 3 {
                            case 0:
                                // Joins the running order: locks the account, then the order.
                                _ = try await session.call(
                                    OrdersCreate.self,
                                    .init(
                                        accountId: sales.account.id, type: "subscription",
                                        startDate: day("2026-02-01"), items: [seat]))
                            case 1:
                                _ = try await session.call(OrdersAddItems.self, .init(id: running.id, items: [seat]))
                            default:
                                _ = try await session.call(
                                    OrdersActivate.self, .init(id: running.id, activationDate: day("2026-02-01")))
                            }
                        } catch {
                            failures.append("\(error)")
                        }
                    }
                    return failures
                }
            }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(failures.isEmpty)
        let order = try await sales.client.call(OrdersGet.self, .init(id: running.id))
        // 1 item to start with, and 2 of every 3 of the 48 calls added one.
        #expect(order.items.count == 1 + 32)
        for session in sessions { await session.close() }
    }
}
