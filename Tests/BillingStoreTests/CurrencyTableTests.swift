import BillingCore
import Postgres
import TestSupport
import Testing

@Suite struct CurrencyTableTests {
    /// The database's currencies and BillingCore's are the same list with the same exponents.
    @Test func theCurrenciesTableMatchesBillingCore() async throws {
        let database = try await TestDatabase.shared
        let stored = try await PostgresPool.using(.init(url: database.ownerURL(), maxConnections: 1)) { pool in
            try await pool.withConnection { connection in
                try await connection.query("SELECT code, exponent FROM currencies ORDER BY code").map {
                    (try $0.decode("code", as: String.self), try $0.decode("exponent", as: Int.self))
                }
            }
        }
        #expect(stored.map(\.0) == Currency.all.map(\.code))
        #expect(stored.map(\.1) == Currency.all.map(\.exponent))
        #expect(stored.first { $0.0 == "JPY" }?.1 == 0)
        #expect(stored.first { $0.0 == "KWD" }?.1 == 3)
        #expect(stored.count > 150)
    }
}
