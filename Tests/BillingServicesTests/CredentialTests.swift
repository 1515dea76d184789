import BillingCore
import BillingProtocol
import BillingServices
import Postgres
import Testing

@Suite struct CredentialTests {
    @Test func keysNameTheirTenantAndSecretsVerifyOnlyThemselves() {
        let minted = ApiKeyMinter.mint(for: TenantID(42))
        #expect(ApiKeyMinter.tenant(of: minted.key) == TenantID(42))
        #expect(minted.salt.count == 16)
        #expect(minted.hash.count == 32)
        #expect(ApiKeyMinter.verify(secret: minted.secret, salt: minted.salt, hash: minted.hash))
        #expect(!ApiKeyMinter.verify(secret: minted.secret + "x", salt: minted.salt, hash: minted.hash))
        // Another salt (the first byte flipped, so it always differs) does not verify.
        #expect(
            !ApiKeyMinter.verify(
                secret: minted.secret, salt: [minted.salt[0] ^ 0xFF] + minted.salt.dropFirst(), hash: minted.hash))
        let other = ApiKeyMinter.mint(for: TenantID(42))
        #expect(other.key != minted.key && other.secret != minted.secret && other.salt != minted.salt)
    }

    @Test func secretsCarryAtLeast32RandomBytes() {
        let secret = ApiKeyMinter.mint(for: TenantID(1)).secret
        #expect(secret.count == 43)
        #expect(secret.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test func foreignKeysAreNotOurs() {
        for key in [
            "", "lk_", "lk_abc_0123456789abcdef01234567", "sk_1_0123456789abcdef01234567", "lk_1_short",
            "lk_0_0123456789abcdef01234567",
        ] {
            #expect(ApiKeyMinter.tenant(of: key) == nil)
        }
    }

    @Test func theOperatorTokenMatchesOnlyItself() {
        let token = OperatorToken("s3cret-token")
        #expect(token.matches("s3cret-token"))
        #expect(!token.matches("s3cret-token "))
        #expect(!token.matches(""))
        #expect(OperatorToken.generate().count == 64)
    }

    @Test func databaseOutcomesBecomeProtocolErrors() {
        func translate(_ error: any Error) -> RPCError { ErrorTranslation.rpcError(for: error, requestID: "r-1") }
        #expect(translate(PostgresError(code: .server, message: "dup", sqlState: "23505")).code == -32004)
        #expect(
            translate(PostgresError(code: .server, message: "fk", sqlState: "23503")).data.reason
                == "reference_not_found")
        #expect(translate(PostgresError(code: .server, message: "ser", sqlState: "40001")).code == -32004)
        #expect(translate(PostgresError(code: .unavailable, message: "down")).code == -32007)
        #expect(translate(PostgresError(code: .connectionClosed, message: "lost")).code == -32007)
        let hidden = translate(
            PostgresError(code: .server, message: "syntax error at SELECT secret", sqlState: "42601"))
        #expect(hidden.code == -32603)
        #expect(hidden.data.requestId == "r-1")
        #expect(!hidden.message.contains("secret"))
        let rule = translate(ValidationFailure(reason: "hierarchy_cycle", field: "parent_id", message: "cycle"))
        #expect(rule.code == -32005 && rule.data.reason == "hierarchy_cycle" && rule.data.field == "parent_id")
    }
}
