import BillingProtocol
import BillingStore
import Crypto
import Foundation

/// Makes an `X.create` with an `idempotency_key` safe to retry: the same key with the same params
/// returns the first result (even after the first commit); with other params, a conflict.
enum Idempotency {
    static func run<Result: Codable>(
        method: String,
        key: String?,
        params: some Encodable,
        in transaction: TenantTransaction,
        _ body: () async throws -> Result
    ) async throws -> Result {
        guard let key else { return try await body() }
        guard (1...200).contains(key.count) else {
            throw RPCError(
                .invalidParams, "idempotency_key must have 1 to 200 characters", fields: ["idempotency_key (length)"])
        }
        let keys = IdempotencyRepository(transaction)
        switch try await keys.claim(method: method, key: key, paramsHash: try fingerprint(params)) {
        case .fresh:
            let result = try await body()
            try await keys.complete(
                method: method, key: key, result: String(decoding: try WireCoding.encode(result), as: UTF8.self))
            return result
        case .replay(let stored):
            return try JSONDecoder().decode(Result.self, from: Data(stored.utf8))
        case .mismatch:
            throw RPCError(.conflict, "idempotency_key \(key) was already used with other params")
        }
    }

    /// SHA-256 of the params in canonical JSON (sorted keys), the key itself left out.
    static func fingerprint(_ params: some Encodable) throws -> String {
        var value = try WireCoding.value(of: params)
        if case .object(var object) = value {
            object["idempotency_key"] = nil
            value = .object(object)
        }
        return SHA256.hash(data: try WireCoding.encode(value)).map { String(format: "%02x", $0) }.joined()
    }
}
