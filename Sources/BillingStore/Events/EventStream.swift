import BillingCore
import Postgres

/// Reading a tenant's events in sequence order, and its durable consumers' positions.
public struct EventStream: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// The NOTIFY channel whose payload is the tenant id of committed events.
    public static let channel = "ledgerline_events"

    /// Up to `limit` events after `seq`, of `types` (all when nil), in sequence order. Events become
    /// visible in sequence order (the tenant's counter row is locked until commit), so reading on
    /// from the last one returned never skips one committed later.
    public func events(after seq: Int64, types: [String]?, limit: Int) async throws -> [EventRecord] {
        try await connection.query(
            """
            SELECT seq, type, entity, entity_id, rfc3339(occurred_at) AS occurred_at, data::text AS data
            FROM events
            WHERE seq > \(seq) AND (\(types)::text[] IS NULL OR type = ANY(\(types)::text[]))
            ORDER BY seq LIMIT \(limit)
            """
        ).map(EventRecord.init(row:))
    }

    /// The tenant's last sequence number.
    public func lastSeq() async throws -> Int64 {
        try await connection.query("SELECT coalesce(max(last_seq), 0) AS seq FROM event_sequences")[0].decode("seq")
    }

    /// Creates the consumer, or sets its types; returns its acknowledged position.
    public func consumer(named name: String, types: [String]?) async throws -> Int64 {
        try await connection.query(
            """
            INSERT INTO event_consumers AS c (tenant_id, name, types)
            VALUES (\(transaction.tenantID.rawValue), \(name), \(types)::text[])
            ON CONFLICT (tenant_id, name) DO UPDATE SET types = excluded.types, updated_at = now()
            RETURNING acked_seq
            """
        )[0].decode("acked_seq")
    }

    /// Moves the consumer's position forward to `seq` (never back).
    public func acknowledge(consumer name: String, through seq: Int64) async throws {
        try await connection.execute(
            """
            UPDATE event_consumers SET acked_seq = greatest(acked_seq, \(seq)), updated_at = now()
            WHERE name = \(name) AND acked_seq < \(seq)
            """
        )
    }

    /// Deletes the events that occurred before `cutoff` (retention); returns how many.
    public func purge(before cutoff: String) async throws -> Int {
        try await connection.execute("DELETE FROM events WHERE occurred_at < \(cutoff)::timestamptz")
    }
}

/// An event as stored.
public struct EventRecord: Sendable, Equatable {
    public var seq: Int64
    public var type: String
    public var entity: String
    public var entityID: String
    public var occurredAt: String
    /// JSON object text.
    public var data: String

    init(row: PostgresRow) throws {
        seq = try row.decode("seq")
        type = try row.decode("type")
        entity = try row.decode("entity")
        entityID = try row.decode("entity_id")
        occurredAt = try row.decode("occurred_at")
        data = try row.decode("data")
    }
}
