import BillingProtocol
import BillingStore
import Postgres

/// Whether this process can do its work, which for every Ledgerline process means its database
/// answers; the `health` method and the HTTP health port both ask it.
public struct HealthCheck: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    /// A round trip through the pool (a connection is opened if none is idle).
    public func databaseAnswers() async -> Bool {
        do {
            _ = try await store.pool.withConnection { try await $0.query("SELECT 1") }
            return true
        } catch {
            return false
        }
    }

    public func report() async -> Health.Result {
        await databaseAnswers()
            ? Health.Result(status: "ok", database: "ok") : Health.Result(status: "degraded", database: "unreachable")
    }
}
