import Postgres
import TestSupport
import Testing

@Suite struct QueryTests {
    @Test func boundParametersKeepHostileTextAsData() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let hostile = "x'); DROP TABLE schema_migrations; --"
        let rows = try await pool.withConnection {
            try await $0.query("SELECT \(hostile)::text AS echoed, \(42)::int + 1 AS next")
        }
        #expect(try rows[0].decode("echoed", as: String.self) == hostile)
        #expect(try rows[0].decode("next", as: Int.self) == 43)
        let stillThere = try await pool.withConnection {
            try await $0.query("SELECT count(*) AS n FROM schema_migrations")
        }
        #expect(try stillThere[0].decode("n", as: Int.self) >= 1)
        await pool.close()
    }

    @Test func numericTravelsExactlyAsText() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                "SELECT (\("12345678901234567890.123456")::numeric * 3)::text AS product, \("0.1")::numeric + \("0.2")::numeric AS sum"
            )
        }
        #expect(try rows[0].decode("product", as: String.self) == "37037036703703703670.370368")
        #expect(try rows[0].decode("sum", as: String.self) == "0.3")
        await pool.close()
    }

    @Test func nullsAreOptionalAndRefusedOtherwise() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let missing: String? = nil
        let rows = try await pool.withConnection {
            try await $0.query("SELECT \(missing)::text AS nothing, 'a' AS something")
        }
        #expect(try rows[0].decode("nothing", as: String?.self) == nil)
        #expect(try rows[0].decode("something", as: String?.self) == "a")
        #expect(throws: PostgresError.self) { try rows[0].decode("nothing", as: String.self) }
        #expect(throws: PostgresError.self) { try rows[0].decode("no_such_column", as: String.self) }
        await pool.close()
    }

    @Test func serverErrorsCarrySQLStateDetailAndConstraint() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let table = "unique_probe_\(UInt32.random(in: 0 ... .max))"
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                try await connection.execute(
                    PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (code text CONSTRAINT \(table)_code_key UNIQUE)"))
                try await connection.execute(
                    PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES ($1), ($1)", binds: ["A"]))
            }
        }
        #expect(error?.code == .server)
        #expect(error?.sqlState == SQLState.uniqueViolation)
        #expect(error?.constraint == "\(table)_code_key")
        #expect(error?.detail == "Key (code)=(A) already exists.")
        #expect(error?.table == table)
        await pool.close()
    }

    @Test func arraysBindForAny() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let wanted: [String] = ["b", "quote\"d", "back\\slash"]
        let rows = try await pool.withConnection { connection in
            try await connection.query(
                "SELECT x FROM unnest(ARRAY['a', 'b', 'quote\"d', 'back\\slash']) AS x WHERE x = ANY(\(wanted)::text[]) ORDER BY x"
            )
        }
        #expect(try rows.map { try $0.decode("x", as: String.self) } == ["b", "back\\slash", "quote\"d"])
        await pool.close()
    }
}
