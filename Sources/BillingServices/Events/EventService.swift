import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// The tenant's event stream, read from the outbox every service writes: pulled (`events.list`)
/// or pushed to durable consumers, which acknowledge what they have.
public struct EventService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func list(_ params: EventsList.Params, tenant: TenantID) async throws -> EventsList.Result {
        let limit = try Paging.limit(params.limit)
        let after = try Self.position(params.after, field: "after")
        let types = try Self.types(params.types)
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let events = try await EventStream(transaction).events(after: after, types: types, limit: limit)
            let wired = try events.map(Self.wire)
            return .init(events: wired, nextCursor: wired.last?.cursor ?? String(after))
        }
    }

    /// A subscription's start: the consumer (created, or its types set) and the position after
    /// which its events are pushed.
    public struct Start: Sendable {
        public let consumer: String
        public let types: [String]?
        public let position: Int64
    }

    public func subscribe(_ params: EventsSubscribe.Params, tenant: TenantID) async throws -> Start {
        guard (1...200).contains(params.consumer.unicodeScalars.count) else {
            throw ValidationFailure(
                reason: "invalid_consumer", field: "consumer", message: "a consumer's name has 1 to 200 characters")
        }
        let types = try Self.types(params.types)
        return try await store.inTenant(tenant) { transaction in
            let stream = EventStream(transaction)
            let acked = try await stream.consumer(named: params.consumer, types: types)
            let position: Int64 =
                switch params.from {
                case nil: acked
                case "start": 0
                case "latest": try await stream.lastSeq()
                case let cursor?: try Self.position(cursor, field: "from")
                }
            return Start(consumer: params.consumer, types: types, position: position)
        }
    }

    /// Up to `limit` events after `position` of `types`.
    public func events(
        after position: Int64, types: [String]?, limit: Int, tenant: TenantID
    ) async throws -> [StreamEvent] {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            try await EventStream(transaction).events(after: position, types: types, limit: limit).map(Self.wire)
        }
    }

    /// Records that the consumer has its events through `cursor`.
    public func acknowledge(consumer: String, cursor: String, tenant: TenantID) async throws -> Int64 {
        let seq = try Self.position(cursor, field: "cursor")
        try await store.inTenant(tenant) { transaction in
            try await EventStream(transaction).acknowledge(consumer: consumer, through: seq)
        }
        return seq
    }

    /// Deletes the tenant's events older than `days` days: what the daily `events.purge` job does.
    public static func purge(olderThan days: Int, in transaction: TenantTransaction) async throws -> Int {
        let cutoff = Date(timeIntervalSinceNow: -Double(days) * 86_400)
        return try await EventStream(transaction).purge(before: ISO8601DateFormatter().string(from: cutoff))
    }

    static func position(_ cursor: String?, field: String) throws -> Int64 {
        guard let cursor else { return 0 }
        guard let seq = Int64(cursor), seq >= 0 else {
            throw ValidationFailure(
                reason: "invalid_cursor", field: field,
                message: field == "from"
                    ? "from is an event's cursor, \"start\" or \"latest\"" : "\(field) is an event's cursor")
        }
        return seq
    }

    static func types(_ types: [String]?) throws -> [String]? {
        guard let types else { return nil }
        guard (1...100).contains(types.count), types.allSatisfy({ (1...100).contains($0.count) }) else {
            throw ValidationFailure(
                reason: "invalid_types", field: "types", message: "name 1 to 100 event types, or leave types out")
        }
        return types
    }

    static func wire(_ record: EventRecord) throws -> StreamEvent {
        StreamEvent(
            seq: record.seq, type: record.type, entity: record.entity, entityId: record.entityID,
            at: record.occurredAt, data: try WireCoding.parse(Data(record.data.utf8)))
    }
}
