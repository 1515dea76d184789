import BillingCore
import Postgres

/// The one way every service records what changed: events are appended inside the service's own
/// transaction, so nothing is published that did not commit and nothing committed goes unpublished.
public struct EventOutbox: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    /// Appends events in order, in one statement, and returns their sequence numbers.
    ///
    /// The tenant's counter row stays locked until the transaction ends, so sequence numbers become
    /// visible in order: a reader that has seen `seq` n will never later find a smaller one appear.
    @discardableResult
    public func append(_ events: [NewEvent]) async throws -> [Int64] {
        guard !events.isEmpty else { return [] }
        let rows = try await transaction.connection.query(
            """
            WITH counter AS (
                UPDATE event_sequences SET last_seq = last_seq + \(events.count)
                WHERE tenant_id = \(transaction.tenantID.rawValue)
                RETURNING tenant_id, last_seq - \(events.count) AS first_seq
            )
            INSERT INTO events (tenant_id, seq, type, entity, entity_id, data)
            SELECT counter.tenant_id, counter.first_seq + e.position, e.type, e.entity, e.entity_id, e.data::jsonb
            FROM counter,
                 unnest(\(events.map(\.type))::text[], \(events.map(\.entity))::text[],
                        \(events.map(\.entityID))::text[], \(events.map(\.data))::text[])
                     WITH ORDINALITY AS e(type, entity, entity_id, data, position)
            ORDER BY e.position
            RETURNING seq
            """
        )
        guard rows.count == events.count else {
            throw PostgresError(
                code: .server,
                message: "tenant \(transaction.tenantID) has no event counter; events were not recorded"
            )
        }
        return try rows.map { try $0.decode("seq", as: Int64.self) }.sorted()
    }

    @discardableResult
    public func append(_ event: NewEvent) async throws -> Int64 {
        try await append([event])[0]
    }
}
