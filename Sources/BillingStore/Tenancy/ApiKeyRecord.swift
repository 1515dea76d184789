import BillingCore
import Postgres

/// An API key as stored: the public key string and the salted hash of its secret, never the secret.
public struct ApiKeyRecord: Sendable, Equatable {
    public let tenantID: TenantID
    public let key: String
    public let secretSalt: [UInt8]
    public let secretHash: [UInt8]
    public let createdAt: String
    public let revokedAt: String?

    static let columns = """
        tenant_id, key, secret_salt, secret_hash, rfc3339(created_at) AS created_at,
        rfc3339(revoked_at) AS revoked_at
        """

    init(row: PostgresRow) throws {
        tenantID = TenantID(try row.decode("tenant_id", as: Int64.self))
        key = try row.decode("key")
        secretSalt = try row.decode("secret_salt", as: PostgresBytes.self).bytes
        secretHash = try row.decode("secret_hash", as: PostgresBytes.self).bytes
        createdAt = try row.decode("created_at")
        revokedAt = try row.decode("revoked_at")
    }
}
