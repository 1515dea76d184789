import BillingCore
import Postgres

/// A tenant's billing processes.
public struct BillingProcessRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    public func insert(_ process: NewBillingProcess) async throws -> BillingProcessRecord {
        let rows = try await connection.query(
            """
            INSERT INTO billing_processes (tenant_id, external_id, name, kind, frequency, timing, billing_day,
                credit_policy, plan, aggregation)
            VALUES (\(transaction.tenantID.rawValue), \(process.externalID), \(process.name), \(process.kind),
                    \(process.frequency?.rawValue), \(process.timing.rawValue), \(process.billingDay),
                    \(process.creditPolicy), \(process.plan)::jsonb, \(process.aggregation?.rawValue))
            RETURNING \(unescaped: BillingProcessRecord.columns)
            """
        )
        return try BillingProcessRecord(row: rows[0])
    }

    public func find(id: Int64) async throws -> BillingProcessRecord? {
        try await connection.query(
            "SELECT \(unescaped: BillingProcessRecord.columns) FROM billing_processes WHERE id = \(id)"
        ).first.map(BillingProcessRecord.init(row:))
    }

    public func find(externalID: String) async throws -> BillingProcessRecord? {
        try await connection.query(
            "SELECT \(unescaped: BillingProcessRecord.columns) FROM billing_processes WHERE external_id = \(externalID)"
        ).first.map(BillingProcessRecord.init(row:))
    }

    public func find(ids: [Int64]) async throws -> [Int64: BillingProcessRecord] {
        let rows = try await connection.query(
            "SELECT \(unescaped: BillingProcessRecord.columns) FROM billing_processes WHERE id = ANY(\(ids)::bigint[])"
        )
        return Dictionary(
            uniqueKeysWithValues: try rows.map { row in
                let record = try BillingProcessRecord(row: row)
                return (record.id, record)
            })
    }

    public func list(after: Int64?, limit: Int) async throws -> [BillingProcessRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: BillingProcessRecord.columns) FROM billing_processes
            WHERE id > \(after ?? 0) ORDER BY id LIMIT \(limit)
            """
        ).map(BillingProcessRecord.init(row:))
    }
}
