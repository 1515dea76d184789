import Postgres

/// Results of creates made with an `idempotency_key`, so that a retry returns the first result.
public struct IdempotencyRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    /// What a create should do with its key.
    public enum Claim: Sendable, Equatable {
        /// The key is new (or older than 24 hours): run the create, then `complete`.
        case fresh
        /// The same params were seen with this key: return this result (JSON text).
        case replay(String)
        /// The key was used with other params.
        case mismatch
    }

    /// Claims `key` for `method`; a concurrent claim of the same key waits for this transaction.
    public func claim(method: String, key: String, paramsHash: String) async throws -> Claim {
        let claimed = try await transaction.connection.query(
            """
            INSERT INTO idempotency_keys (tenant_id, method, key, params_hash)
            VALUES (\(transaction.tenantID.rawValue), \(method), \(key), \(paramsHash))
            ON CONFLICT (tenant_id, method, key) DO UPDATE
                SET params_hash = EXCLUDED.params_hash, result = NULL, created_at = now()
                WHERE idempotency_keys.created_at < now() - interval '24 hours'
            RETURNING 1
            """
        )
        if !claimed.isEmpty { return .fresh }
        let stored = try await transaction.connection.query(
            "SELECT params_hash, result::text AS result FROM idempotency_keys WHERE method = \(method) AND key = \(key)"
        )
        guard let row = stored.first, try row.decode("params_hash", as: String.self) == paramsHash,
            let result = try row.decode("result", as: String?.self)
        else { return .mismatch }
        return .replay(result)
    }

    /// Records the result a claimed key returns from now on.
    public func complete(method: String, key: String, result: String) async throws {
        try await transaction.connection.execute(
            "UPDATE idempotency_keys SET result = \(result)::jsonb WHERE method = \(method) AND key = \(key)"
        )
    }
}

extension IdempotencyRepository {
    /// Deletes the keys older than 24 hours (they no longer protect anything) and returns how many.
    public func purgeExpired() async throws -> Int {
        try await transaction.connection.execute(
            "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'"
        )
    }
}
