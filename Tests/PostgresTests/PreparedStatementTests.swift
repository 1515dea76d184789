import Postgres
import TestSupport
import Testing

/// Statements are prepared on first use and run by name afterwards; a transaction's `BEGIN` travels
/// with its first statement.
@Suite struct PreparedStatementTests {
    private static func prepared(_ connection: PostgresConnection) async throws -> [String: Int] {
        let rows = try await connection.query(
            "SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements")
        return Dictionary(
            uniqueKeysWithValues: try rows.map {
                (try $0.decode("statement", as: String.self), try $0.decode("runs", as: Int.self))
            })
    }

    @Test func aRepeatedStatementIsPreparedOnceAndRunByName() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        try await pool.withConnection { connection in
            var sums: [Int] = []
            for n in 1...7 {
                sums.append(try await connection.query("SELECT \(n)::int + 100 AS sum")[0].decode("sum"))
            }
            #expect(sums == [101, 102, 103, 104, 105, 106, 107])
            let statements = try await Self.prepared(connection)
            #expect(statements["SELECT $1::int + 100 AS sum"] == 7)
        }
        await pool.close()
    }

    /// A generic plan assumes an array parameter holds a few elements; such statements are planned
    /// for each run with the array they get, so they are never prepared.
    @Test func aStatementBindingAnArrayIsPlannedEachRun() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        try await pool.withConnection { connection in
            for n in 1...7 {
                let ids = Array(Int64(1)...Int64(n * 1000))
                let total: Int64 = try await connection.query(
                    "SELECT sum(x)::bigint AS total FROM unnest(\(ids)::bigint[]) AS x WHERE x = ANY(\(ids)::bigint[])"
                )[0].decode("total")
                #expect(total == Int64(n * 1000) * Int64(n * 1000 + 1) / 2)
                let optional: [Int64]? = n % 2 == 0 ? nil : [1]
                _ = try await connection.query("SELECT \(optional)::bigint[] AS maybe")
            }
            let statements = try await Self.prepared(connection)
            #expect(!statements.keys.contains { $0.contains("unnest") || $0.contains("maybe") })
        }
        await pool.close()
    }

    @Test func aStatementThatFailsToPrepareIsNotRemembered() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        try await pool.withConnection { connection in
            for _ in 1...2 {
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.query("SELECT no_such_column_\(1) FROM pg_class")
                }
                #expect(error?.sqlState == "42703")
            }
            #expect(try await connection.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
            let statements = try await Self.prepared(connection)
            #expect(!statements.keys.contains { $0.contains("no_such_column") })
        }
        await pool.close()
    }

    @Test func aTransactionWhoseFirstStatementFailsIsRolledBackWithItsSettings() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let table = "opening_probe_\(UInt32.random(in: 0 ... .max))"
        try await pool.withConnection {
            try await $0.execute(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (n int NOT NULL)"))
        }
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction(localSettings: ["billing.probe": "set"]) { connection in
                try await connection.execute(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (NULL)"))
            }
        }
        let (setting, count) = try await pool.withTransaction(localSettings: ["billing.probe": "again"]) { connection in
            let setting: String = try await connection.query("SELECT current_setting('billing.probe') AS s")[0]
                .decode("s")
            let count: Int = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0].decode("n")
            return (setting, count)
        }
        #expect(setting == "again")
        #expect(count == 0)
        let outside = try await pool.withConnection {
            try await $0.query("SELECT coalesce(current_setting('billing.probe', true), '') AS s")[0]
                .decode("s", as: String.self)
        }
        #expect(outside == "")
        await pool.close()
    }

    @Test func aTransactionThatRunsNothingLeavesTheConnectionReady() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let value = try await pool.withTransaction(localSettings: ["billing.probe": "unused"]) { _ in 42 }
        #expect(value == 42)
        let (inside, setting) = try await pool.withConnection { connection in
            let inside = try await connection.transaction { _ in 7 }
            let setting: String = try await connection.query(
                "SELECT coalesce(current_setting('billing.probe', true), '') AS s")[0].decode("s")
            return (inside, setting)
        }
        #expect(inside == 7)
        #expect(setting == "")
        await pool.close()
    }

    @Test func aScriptDropsPreparedStatementsSoChangedTablesReadAfresh() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let table = "script_probe_\(UInt32.random(in: 0 ... .max))"
        try await pool.withConnection { connection in
            try await connection.executeScript("CREATE TABLE \(table) (n int); INSERT INTO \(table) VALUES (1);")
            let select = PostgresQuery(unsafeSQL: "SELECT * FROM \(table)")
            #expect(try await connection.query(select).columns == ["n"])
            #expect(try await connection.query(select).columns == ["n"])
            try await connection.executeScript("ALTER TABLE \(table) ADD COLUMN m int DEFAULT 2;")
            let after = try await connection.query(select)
            #expect(after.columns == ["n", "m"])
            #expect(try after[0].decode("m", as: Int.self) == 2)
        }
        await pool.close()
    }

    @Test func aStatementWhoseTableChangedShapeFailsOnceThenIsPreparedAfresh() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let other = try await TestDatabase.shared.ownerPool()
        let table = "reshaped_probe_\(UInt32.random(in: 0 ... .max))"
        let select = PostgresQuery(unsafeSQL: "SELECT * FROM \(table)")
        try await pool.withConnection { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (n int)"))
            #expect(try await connection.query(select).columns == ["n"])
            try await other.withConnection {
                try await $0.execute(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) ADD COLUMN m int"))
            }
            let error = await #expect(throws: PostgresError.self) { try await connection.query(select) }
            #expect(error?.sqlState == "0A000")
            #expect(try await connection.query(select).columns == ["n", "m"])
        }
        await other.close()
        await pool.close()
    }
}
