import BillingCore
import BillingProtocol
import BillingServices
import Foundation
import Logging
import NIOCore
import Synchronization

/// The event pushes of one connection: each subscription reads its consumer's events after its
/// position and writes them as `events.notify`, waking when the tenant's events commit; a consumer
/// that leaves too many unacknowledged is disconnected with `slow_consumer`.
final class SessionEvents: Sendable {
    private let feed: EventFeed
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let closeConnection: @Sendable () -> Void
    private let logger: Logger
    let subscriptions = Subscriptions()
    private let pumps = Mutex<[Task<Void, Never>]>([])
    /// The subscription each `events.subscribe` request made, until its response is written.
    private let madeBy = Mutex<[String: String]>([:])

    init(
        feed: EventFeed, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        closeConnection: @escaping @Sendable () -> Void, logger: Logger
    ) {
        self.feed = feed
        self.outbound = outbound
        self.closeConnection = closeConnection
        self.logger = logger
    }

    var service: EventService { feed.events }

    /// Starts pushing the consumer's events after `start.position`; the push waits until the
    /// subscription's response is written (`confirm`).
    func subscribe(_ start: EventService.Start, tenant: TenantID, requestID: String) -> String {
        let id = subscriptions.add(consumer: start.consumer, position: start.position)
        madeBy.withLock { $0[requestID] = id }
        let pump = Task { await self.push(id, start: start, tenant: tenant) }
        pumps.withLock { $0.append(pump) }
        return id
    }

    /// The response to `requestID` is written: the subscription it made may push.
    func responded(to requestID: String) {
        if let id = madeBy.withLock({ $0.removeValue(forKey: requestID) }) { subscriptions.confirm(id) }
    }

    /// Stops every push once the connection stops reading.
    func finish() async {
        subscriptions.close()
        let running = pumps.withLock { $0 }
        for pump in running { pump.cancel() }
        for pump in running { await pump.value }
    }

    private func push(_ id: String, start: EventService.Start, tenant: TenantID) async {
        while !subscriptions.isConfirmed(id) {
            guard !Task.isCancelled, !subscriptions.isClosed else { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
        var position = start.position
        while !Task.isCancelled, !subscriptions.isClosed {
            var room = Int(feed.maxUnacknowledged) - subscriptions.unacknowledged(id)
            if room <= 0 {
                // The buffer is full: the consumer has until the timeout to acknowledge some.
                let deadline = ContinuousClock.now + feed.acknowledgementTimeout
                while room <= 0, ContinuousClock.now < deadline, !Task.isCancelled, !subscriptions.isClosed {
                    try? await Task.sleep(for: .milliseconds(20))
                    room = Int(feed.maxUnacknowledged) - subscriptions.unacknowledged(id)
                }
                guard room > 0 else {
                    if !Task.isCancelled, !subscriptions.isClosed { await disconnect(id, consumer: start.consumer) }
                    return
                }
            }
            let generation = feed.wakeups.generation(of: tenant)
            do {
                let events = try await feed.events.events(
                    after: position, types: start.types, limit: min(feed.batchSize, room), tenant: tenant)
                guard let last = events.last else {
                    await feed.wakeups.wait(for: tenant, since: generation, upTo: feed.idleRead)
                    continue
                }
                let frame = try WireCoding.encode(
                    Push(params: EventsNotify(subscriptionId: id, events: events)))
                // Recorded before the write: the consumer may acknowledge the push before the write
                // returns here, and its ack must not find the events unpushed (cursor_ahead). A write
                // that fails means the connection, and the subscription with it, is gone.
                _ = subscriptions.pushed(id, events.map(\.seq))
                try await outbound.write(RPCSession.frame(frame))
                position = last.seq
            } catch {
                guard !Task.isCancelled, !subscriptions.isClosed else { return }
                logger.warning("event push paused", metadata: ["subscription": "\(id)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func disconnect(_ id: String, consumer: String) async {
        let error = RPCError(
            .slowConsumer,
            "consumer \(consumer) has \(feed.maxUnacknowledged) events pushed and not acknowledged; subscribe again "
                + "to resume after its last events.ack")
        try? await outbound.write(RPCSession.frame(RPCResponse.encode(id: nil, error: error)))
        logger.info("slow consumer disconnected", metadata: ["subscription": "\(id)", "consumer": "\(consumer)"])
        subscriptions.close()
        closeConnection()
    }

    /// A server → client notification: `{"jsonrpc":"2.0","method":"events.notify","params":…}`.
    private struct Push: Encodable {
        let params: EventsNotify

        enum CodingKeys: String, CodingKey {
            case jsonrpc, method, params
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("2.0", forKey: .jsonrpc)
            try container.encode(EventsNotify.name, forKey: .method)
            try container.encode(params, forKey: .params)
        }
    }
}
