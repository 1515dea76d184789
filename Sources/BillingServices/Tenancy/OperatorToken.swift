import Crypto
import Foundation

/// The secret that lets a session act as the operator (who creates tenants), from the server's
/// configuration. Compared in constant time.
public struct OperatorToken: Sendable {
    private let digest: SHA256.Digest

    public init(_ token: String) {
        self.digest = SHA256.hash(data: Data(token.utf8))
    }

    /// A new random token (32 bytes, hex) for a fresh installation.
    public static func generate() -> String {
        ApiKeyMinter.hex(ApiKeyMinter.randomBytes(32))
    }

    public func matches(_ candidate: String) -> Bool {
        let other = SHA256.hash(data: Data(candidate.utf8))
        var difference: UInt8 = 0
        for (left, right) in zip(digest, other) { difference |= left ^ right }
        return difference == 0
    }
}
