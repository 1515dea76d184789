import BillingCore
import Postgres

/// A tenant's API keys.
public struct ApiKeyRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    public func insert(key: String, secretSalt: [UInt8], secretHash: [UInt8]) async throws -> ApiKeyRecord {
        let rows = try await transaction.connection.query(
            """
            INSERT INTO api_keys (tenant_id, key, secret_salt, secret_hash)
            VALUES (\(transaction.tenantID.rawValue), \(key), \(PostgresBytes(secretSalt)), \(PostgresBytes(secretHash)))
            RETURNING \(unescaped: ApiKeyRecord.columns)
            """
        )
        return try ApiKeyRecord(row: rows[0])
    }

    public func find(key: String) async throws -> ApiKeyRecord? {
        let rows = try await transaction.connection.query(
            "SELECT \(unescaped: ApiKeyRecord.columns) FROM api_keys WHERE key = \(key)"
        )
        return try rows.first.map(ApiKeyRecord.init(row:))
    }

    /// Revokes the key and returns it, with whether this call revoked it (false when it already was);
    /// nil when this tenant has no such key.
    public func revoke(key: String) async throws -> (record: ApiKeyRecord, newlyRevoked: Bool)? {
        let revoked = try await transaction.connection.query(
            """
            UPDATE api_keys SET revoked_at = now() WHERE key = \(key) AND revoked_at IS NULL
            RETURNING \(unescaped: ApiKeyRecord.columns)
            """
        )
        if let row = revoked.first { return (try ApiKeyRecord(row: row), true) }
        return try await find(key: key).map { ($0, false) }
    }
}
