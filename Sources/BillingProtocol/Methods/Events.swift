import BillingCore

/// An event of the tenant's stream: what changed, in commit order.
public struct StreamEvent: Codable, Sendable, Equatable {
    /// The tenant's sequence number: gapless, in commit order.
    public let seq: Int64
    /// Where a consumer resumes after this event (`from`, `after`, `events.ack`).
    public let cursor: String
    public let type: String
    public let entity: String
    public let entityId: String
    public let at: String
    public let data: JSONValue

    public init(seq: Int64, type: String, entity: String, entityId: String, at: String, data: JSONValue) {
        self.seq = seq
        self.cursor = String(seq)
        self.type = type
        self.entity = entity
        self.entityId = entityId
        self.at = at
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case seq, cursor, type, entity, at, data
        case entityId = "entity_id"
    }
}

/// `events.list`: the events after a cursor, pulled.
public enum EventsList: RPCMethod {
    public static let name = "events.list"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        /// The beginning of the stream when omitted.
        public var after: String?
        /// 1–1000, default 100.
        public var limit: Int?
        public var types: [String]?

        public init(after: String? = nil, limit: Int? = nil, types: [String]? = nil) {
            self.after = after
            self.limit = limit
            self.types = types
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let events: [StreamEvent]
        /// The cursor to ask after next: the last event's, or `after` when there was none.
        public let nextCursor: String

        public init(events: [StreamEvent], nextCursor: String) {
            self.events = events
            self.nextCursor = nextCursor
        }

        enum CodingKeys: String, CodingKey {
            case events
            case nextCursor = "next_cursor"
        }
    }
}

/// `events.subscribe`: pushes the consumer's events on this connection (`events.notify`) from
/// where it asks, or after its last `events.ack`.
public enum EventsSubscribe: RPCMethod {
    public static let name = "events.subscribe"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        /// The durable consumer's name: its position is kept across connections.
        public var consumer: String
        public var types: [String]?
        /// start | latest | a cursor; after the consumer's last acknowledgement when omitted.
        public var from: String?

        public init(consumer: String, types: [String]? = nil, from: String? = nil) {
            self.consumer = consumer
            self.types = types
            self.from = from
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let subscriptionId: String
        /// The position the push starts after.
        public let cursor: String

        public init(subscriptionId: String, cursor: String) {
            self.subscriptionId = subscriptionId
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case cursor
            case subscriptionId = "subscription_id"
        }
    }
}

/// `events.notify`, pushed by the server: the next events of a subscription.
public struct EventsNotify: Codable, Sendable, Equatable {
    public static let name = "events.notify"

    public let subscriptionId: String
    public let events: [StreamEvent]

    public init(subscriptionId: String, events: [StreamEvent]) {
        self.subscriptionId = subscriptionId
        self.events = events
    }

    enum CodingKeys: String, CodingKey {
        case events
        case subscriptionId = "subscription_id"
    }
}

/// `events.ack`, a notification: the consumer has the events through `cursor`; it resumes after
/// them on its next subscription.
public enum EventsAck: RPCMethod {
    public static let name = "events.ack"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var subscriptionId: String
        public var cursor: String

        public init(subscriptionId: String, cursor: String) {
            self.subscriptionId = subscriptionId
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case cursor
            case subscriptionId = "subscription_id"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let cursor: String

        public init(cursor: String) {
            self.cursor = cursor
        }
    }
}
