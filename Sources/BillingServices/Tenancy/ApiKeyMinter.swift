import BillingCore
import Crypto
import Foundation

/// Makes API keys and checks secrets against their stored hashes.
///
/// A key is public and names its tenant (`lk_<tenant>_<random>`), so `hello` can scope its lookup
/// to that tenant under row-level security. A secret is 32 random bytes, shown once; only an
/// HMAC-SHA256 of it under a per-key random salt is stored, and checks run in constant time.
public enum ApiKeyMinter {
    public struct Minted: Sendable {
        public let key: String
        public let secret: String
        public let salt: [UInt8]
        public let hash: [UInt8]
    }

    public static func mint(for tenant: TenantID) -> Minted {
        let key = "lk_\(tenant)_" + hex(randomBytes(12))
        let secret = base64URL(randomBytes(32))
        let salt = randomBytes(16)
        return Minted(key: key, secret: secret, salt: salt, hash: hash(secret: secret, salt: salt))
    }

    /// The tenant a key names, or nil when the key is not one of ours.
    public static func tenant(of key: String) -> TenantID? {
        let parts = key.split(separator: "_")
        guard parts.count == 3, parts[0] == "lk", parts[2].count == 24 else { return nil }
        return TenantID(String(parts[1]))
    }

    public static func verify(secret: String, salt: [UInt8], hash expected: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(
            expected,
            authenticating: Data(secret.utf8),
            using: SymmetricKey(data: salt)
        )
    }

    static func hash(secret: String, salt: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(secret.utf8), using: SymmetricKey(data: salt)))
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
