import BillingCore
import BillingProtocol
import BillingStore

/// Checks `hello` credentials: a tenant's API key and secret, or the operator token.
public struct Authenticator: Sendable {
    let store: BillingStore
    let operatorToken: OperatorToken?

    public init(store: BillingStore, operatorToken: OperatorToken?) {
        self.store = store
        self.operatorToken = operatorToken
    }

    public func authenticate(_ params: Hello.Params) async throws -> SessionIdentity {
        if let token = params.operatorToken {
            guard params.apiKey == nil, params.apiSecret == nil else {
                throw RPCError(
                    .invalidParams, "give either operator_token or api_key and api_secret, not both",
                    fields: ["operator_token"])
            }
            guard let operatorToken, operatorToken.matches(token) else {
                throw RPCError(.unauthenticated, "the operator token is not valid")
            }
            return .operator
        }
        guard let key = params.apiKey, let secret = params.apiSecret else {
            throw RPCError(
                .invalidParams,
                "hello needs api_key and api_secret, or operator_token",
                fields: [params.apiKey == nil ? "api_key (missing)" : "api_secret (missing)"]
            )
        }
        let refused = RPCError(.unauthenticated, "the API key or secret is not valid, or the key was revoked")
        guard let tenant = ApiKeyMinter.tenant(of: key) else { throw refused }
        let record = try await store.inTenant(tenant) { transaction in
            try await ApiKeyRepository(transaction).find(key: key)
        }
        guard let record, record.revokedAt == nil,
            ApiKeyMinter.verify(secret: secret, salt: record.secretSalt, hash: record.secretHash)
        else { throw refused }
        return .tenant(tenant, apiKey: key)
    }

    /// Whether the key was revoked (or removed) since the session said hello. A database failure
    /// answers false: the request itself will then fail with `unavailable`.
    public func isRevoked(key: String, tenant: TenantID) async -> Bool {
        do {
            let record = try await store.inTenant(tenant) { transaction in
                try await ApiKeyRepository(transaction).find(key: key)
            }
            return record == nil || record?.revokedAt != nil
        } catch {
            return false
        }
    }
}
