import BillingClient
import BillingCore
import BillingProtocol
import BillingStore
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

    /// The sequence numbers of the next `events.notify` of `client`, read straight from its JSON.
    func nextSeqs(_ client: BillingClient) async -> [Int64]? {
        guard let push = await client.nextPush(), case .array(let events)? = push.params["events"] else { return nil }
        return events.compactMap { event in
            if case .integer(let seq)? = event["seq"] { seq } else { nil }
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
        let ahead = await rpcFailure {
            try await first.call(
                EventsAck.self, .init(subscriptionId: subscribed.subscriptionId, cursor: String(base + 1_000)))
        }
        #expect(ahead?.reason == "cursor_ahead")
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
        let server = try await RunningServer.start(maxUnacknowledgedEvents: 3, eventAcknowledgementTimeout: .seconds(1))
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

    /// 100,000 events written in 100 transactions by four writers while a consumer reads them, acknowledging most
    /// batches and dropping its connection at random points: it receives every event, in order,
    /// and again only those it had not acknowledged.
    @Test func aHundredThousandEventsSurviveRandomReconnects() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let tenantID = try #require(TenantID(tenant.tenant.id))
        let store = BillingStore(pool: try await TestDatabase.shared.appPool())
        let total = 100_000
        // Nothing else writes this tenant's events: the bulk ones are the next 100,000 numbers.
        let first = try await last(client) + 1
        let final = first + Int64(total) - 1
        // Four writers at once: their transactions commit in any order, the stream stays in order.
        let writing = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for batch in stride(from: writer, to: 100, by: 4) {
                            try await store.inTenant(tenantID) { transaction in
                                try await EventOutbox(transaction).append(
                                    (0..<1_000).map { index in
                                        NewEvent(
                                            type: "bulk.test", entity: "bulk", entityID: String(batch * 1_000 + index),
                                            data: #"{"n":\#(batch * 1_000 + index)}"#)
                                    })
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        var random = SplitMix(seed: 20_261_205)
        var acknowledged: Int64 = -1
        var received = Set<Int64>()
        var reconnects = 0
        var violations: [String] = []
        while acknowledged < final {
            let connection = try await server.connect()
            _ = try await connection.call(Hello.self, .init(apiKey: tenant.apiKey, apiSecret: tenant.apiSecret))
            let subscription = try await connection.call(
                EventsSubscribe.self,
                .init(consumer: "bulk", types: ["bulk.test"], from: acknowledged < 0 ? "start" : nil))
            var expected: Int64? = acknowledged < 0 ? nil : acknowledged + 1
            reading: while let seqs = await nextSeqs(connection) {
                for seq in seqs {
                    if let next = expected, seq != next {
                        violations.append("got \(seq), expected \(next)")
                    }
                    expected = seq + 1
                    received.insert(seq)
                }
                let lastSeq = seqs.last ?? 0
                if random.next() % 10 != 0 {
                    _ = try await connection.call(
                        EventsAck.self, .init(subscriptionId: subscription.subscriptionId, cursor: String(lastSeq)))
                    acknowledged = lastSeq
                }
                if acknowledged >= final || random.next() % 30 == 0 { break reading }
            }
            await connection.close()
            reconnects += 1
            if reconnects > 1_000 { break }
        }
        try await writing.value
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        #expect(received.count == total && received.min() == first && received.max() == final)
        #expect(reconnects > 1)
        await store.pool.close()
    }
}
