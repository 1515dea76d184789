import BillingCore
import BillingProtocol
import BillingServices
import BillingStore

/// What sessions push events with: the stream, the wake-ups when events commit, and how far a
/// consumer may fall behind.
public struct EventFeed: Sendable {
    let events: EventService
    let wakeups: EventWakeups
    /// Events pushed and not acknowledged (counted in sequence numbers) beyond which a consumer is
    /// disconnected; it resumes after its last acknowledgement when it subscribes again.
    let maxUnacknowledged: Int64
    /// Events per `events.notify`.
    let batchSize: Int
    /// How long a push waits for a wake-up before it reads again anyway.
    let idleRead: Duration
    /// How long a push with `maxUnacknowledged` events out waits for an acknowledgement before it
    /// disconnects the consumer.
    let acknowledgementTimeout: Duration

    public init(
        store: BillingStore, wakeups: EventWakeups, maxUnacknowledged: Int64 = 10_000, batchSize: Int = 500,
        idleRead: Duration = .seconds(1), acknowledgementTimeout: Duration = .seconds(30)
    ) {
        self.events = EventService(store: store)
        self.wakeups = wakeups
        self.maxUnacknowledged = maxUnacknowledged
        self.batchSize = batchSize
        self.idleRead = idleRead
        self.acknowledgementTimeout = acknowledgementTimeout
    }
}
