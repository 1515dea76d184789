import BillingClient
import BillingCore
import BillingProtocol
import Foundation
import TestSupport
import Testing

/// The event stream over the wire: pulled in sequence order, pushed to durable consumers as soon as
/// events commit, resumed after the last acknowledgement, and cut off when a consumer falls behind.
@Suite struct EventStreamTests {
    func accounts(_ client: BillingClient, _ names: [String]) async throws -> [Account] {
        var created: [Account] = []
        for name in names {
            created.append(try await client.call(AccountsCreate.self, .init(name: name, currency: "EUR")))
        }
        return created
    }

    /// The next `events.notify` of `client`, waiting at most `seconds`.
    func nextNotify(_ client: BillingClient, within seconds: Int = 3) async throws -> EventsNotify? {
        try await withThrowingTaskGroup(of: EventsNotify?.self) { group in
            group.addTask {
                guard let push = await client.nextPush(), push.method == EventsNotify.name else { return nil }
                return try JSONDecoder().decode(EventsNotify.self, from: WireCoding.encode(push.params))
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// The tenant's last sequence number (its creation wrote events too).
    func last(_ client: BillingClient) async throws -> Int64 {
        Int64(try await client.call(EventsList.self, .init(limit: 1000)).nextCursor) ?? 0
    }

    @Test func eventsArePulledInSequenceOrderAfterACursor() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let base = try await last(client)
        let created = try await accounts(client, ["A", "B", "C"])
        let all = try await client.call(EventsList.self, .init(after: String(base)))
        #expect(all.events.map(\.type) == ["account.created", "account.created", "account.created"])
        #expect(all.events.map(\.entityId) == created.map(\.id))
        #expect(all.events.map(\.seq) == [base + 1, base + 2, base + 3])
        #expect(all.events.map(\.cursor) == [base + 1, base + 2, base + 3].map { String($0) })
        #expect(all.nextCursor == String(base + 3) && all.events[0].data["name"] == .string("A"))
        let after = try await client.call(EventsList.self, .init(after: String(base + 1), limit: 1))
        #expect(after.events.map(\.seq) == [base + 2] && after.nextCursor == String(base + 2))
        let none = try await client.call(EventsList.self, .init(after: String(base + 3), types: ["invoice.posted"]))
        #expect(none.events.isEmpty && none.nextCursor == String(base + 3))
        let typed = try await client.call(EventsList.self, .init(types: ["account.created"]))
        #expect(typed.events.map(\.seq) == [base + 1, base + 2, base + 3])
    }

    @Test func consumersGetEventsAsTheyCommitAndResumeAfterTheirLastAck() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let base = try await last(client)
        _ = try await accounts(client, ["A", "B"])
        let first = try await server.connect()
        _ = try await first.call(Hello.self, .init(apiKey: tenant.apiKey, apiSecret: tenant.apiSecret))
        let subscribed = try await first.call(
            EventsSubscribe.self, .init(consumer: "ledger", types: ["account.created"], from: "start"))
        #expect(subscribed.cursor == "0")
        let backlog = try #require(try await nextNotify(first))
        #expect(backlog.subscriptionId == subscribed.subscriptionId)
        #expect(backlog.events.map(\.seq) == [base + 1, base + 2])
        try await first.notify(
            EventsAck.self, .init(subscriptionId: subscribed.subscriptionId, cursor: String(base + 2)))

        // New events are pushed at once: the idle read is 30 s, so only the commit's NOTIFY can
        // have woken the push within 3 s.
        let started = ContinuousClock.now
        _ = try await accounts(client, ["C"])
        let live = try #require(try await nextNotify(first))
        #expect(live.events.map(\.seq) == [base + 3] && ContinuousClock.now - started < .seconds(3))
        _ = try await accounts(client, ["D"])
        #expect(try await nextNotify(first)?.events.map(\.seq) == [base + 4])
        await first.close()

        // Reconnecting without `from` resumes after the last acknowledged event: 3 and 4 again.
        let second = try await server.connect()
        _ = try await second.call(Hello.self, .init(apiKey: tenant.apiKey, apiSecret: tenant.apiSecret))
        let resumed = try await second.call(EventsSubscribe.self, .init(consumer: "ledger", types: ["account.created"]))
        #expect(resumed.cursor == String(base + 2))
        #expect(try await nextNotify(second)?.events.map(\.seq) == [base + 3, base + 4])
        await second.close()
    }

    @Test func aConsumerThatFallsBehindIsDisconnectedWithAClearError() async throws {
        let server = try await RunningServer.start(maxUnacknowledgedEvents: 3)
        let (client, tenant) = try await server.tenantClient()
        _ = try await accounts(client, ["A", "B", "C", "D", "E"])
        let slow = try await server.connect()
        _ = try await slow.call(Hello.self, .init(apiKey: tenant.apiKey, apiSecret: tenant.apiSecret))
        _ = try await slow.call(EventsSubscribe.self, .init(consumer: "slow", from: "start"))
        #expect(try await nextNotify(slow)?.events.map(\.seq) == [1, 2, 3])
        // The tenant's first events (its creation, its key, accounts A to E): more than three.
        guard case .failure(let error)? = await slow.nextUnmatchedResponse()?.outcome else {
            Issue.record("expected the slow_consumer error")
            return
        }
        #expect(error.code == RPCErrorCode.slowConsumer.code && error.type == "slow_consumer")
        await slow.waitUntilClosed()
    }
}
