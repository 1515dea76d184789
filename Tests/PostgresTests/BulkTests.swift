import Postgres
import TestSupport
import Testing

@Suite struct BulkTests {
    @Test func copyLoadsEveryRowWithEscapesAndNulls() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let table = "copy_probe_\(UInt32.random(in: 0 ... .max))"
        let rows: [[any PostgresEncodable]] = (1...10_000).map { index in
            [index, "line \(index)\twith tab\nnewline \\ backslash", index % 7 == 0 ? String?.none : "\(index).50"]
        }
        let stored = try await pool.withConnection { connection in
            try await connection.execute(
                PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (n int, note text, amount numeric)"))
            return try await connection.copyFrom("COPY \(table) (n, note, amount) FROM STDIN", rows: rows)
        }
        #expect(stored == 10_000)
        let check = try await pool.withConnection { connection in
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT count(*) AS n, count(amount) AS priced, sum(amount)::text AS total,
                               (SELECT note FROM \(table) WHERE n = 4242) AS note
                        FROM \(table)
                        """
                )
            )[0]
        }
        let nullCount = 10_000 / 7
        let expectedTotal = (1...10_000).filter { $0 % 7 != 0 }.reduce(0, +)
        #expect(try check.decode("n", as: Int.self) == 10_000)
        #expect(try check.decode("priced", as: Int.self) == 10_000 - nullCount)
        // Each priced row n holds n.50: in cents, 100 n + 50.
        let cents = expectedTotal * 100 + (10_000 - nullCount) * 50
        #expect(
            try check.decode("total", as: String.self)
                == "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)")
        #expect(try check.decode("note", as: String.self) == "line 4242\twith tab\nnewline \\ backslash")
        await pool.close()
    }

    @Test func copyErrorsAreReportedAndNothingIsStored() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let table = "copy_bad_\(UInt32.random(in: 0 ... .max))"
        try await pool.withConnection {
            try await $0.execute(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (n int)"))
        }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                try await connection.copyFrom("COPY \(table) (n) FROM STDIN", rows: [[1], ["not a number"], [3]])
            }
        }
        #expect(error?.sqlState == "22P02")
        let count = try await pool.withConnection {
            try await $0.query(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0].decode(
                "n", as: Int.self)
        }
        #expect(count == 0)
        await pool.close()
    }

    @Test func pipelineReturnsResultsInOrder() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let table = "pipe_probe_\(UInt32.random(in: 0 ... .max))"
        try await pool.withConnection {
            try await $0.execute(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (n int PRIMARY KEY, square int)"))
        }
        let queries = (1...2_000).map { n in
            PostgresQuery(
                unsafeSQL: "INSERT INTO \(table) VALUES ($1, $2) RETURNING n * 10 AS tenfold", binds: [n, n * n])
        }
        let results = try await pool.withConnection { try await $0.pipeline(queries) }
        #expect(results.count == 2_000)
        #expect(
            try results.enumerated().allSatisfy { index, rows in
                try rows[0].decode("tenfold", as: Int.self) == (index + 1) * 10
            })
        let sum = try await pool.withConnection {
            try await $0.query(PostgresQuery(unsafeSQL: "SELECT sum(square)::text AS s FROM \(table)"))[0].decode(
                "s", as: String.self)
        }
        #expect(sum == String((1...2_000).reduce(0) { $0 + $1 * $1 }))
        await pool.close()
    }

    @Test func aFailingPipelineIsAtomicAndReportsTheFirstFailure() async throws {
        let pool = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let table = "pipe_bad_\(UInt32.random(in: 0 ... .max))"
        try await pool.withConnection {
            try await $0.execute(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (n int PRIMARY KEY)"))
        }
        let queries = [1, 2, 2, 3].map { PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES ($1)", binds: [$0]) }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.pipeline(queries) }
        }
        #expect(error?.sqlState == SQLState.uniqueViolation)
        let count = try await pool.withConnection {
            try await $0.query(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0].decode(
                "n", as: Int.self)
        }
        #expect(count == 0)
        await pool.close()
    }
}
