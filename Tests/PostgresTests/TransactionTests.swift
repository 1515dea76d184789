import Postgres
import TestSupport
import Testing

@Suite struct TransactionTests {
    private func makeTable(_ pool: PostgresPool) async throws -> String {
        let table = "tx_probe_\(UInt32.random(in: 0 ... .max))"
        try await pool.withConnection {
            try await $0.execute(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (n int)"))
        }
        return table
    }

    private func count(_ pool: PostgresPool, _ table: String) async throws -> Int {
        try await pool.withConnection { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0].decode("n")
        }
    }

    @Test func commitsWhenBodyReturnsAndRollsBackWhenItThrows() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let table = try await makeTable(pool)
        try await pool.withTransaction { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (1)"))
        }
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await pool.withTransaction { connection in
                try await connection.execute(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (2)"))
                throw Abort()
            }
        }
        #expect(try await count(pool, table) == 1)
        await pool.close()
    }

    @Test func localSettingsLastOnlyForTheTransaction() async throws {
        let pool = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let inside = try await pool.withTransaction(localSettings: ["billing.probe": "42"]) { connection in
            try await connection.query("SELECT current_setting('billing.probe', true) AS v")[0].decode(
                "v", as: String?.self)
        }
        let after = try await pool.withConnection { connection in
            try await connection.query("SELECT current_setting('billing.probe', true) AS v")[0].decode(
                "v", as: String?.self)
        }
        #expect(inside == "42")
        #expect(after == nil || after == "")
        await pool.close()
    }

    @Test func aOneStatementTransactionIsOneReadCommittedWithItsStatement() async throws {
        let pool = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let observer = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let table = try await makeTable(pool)
        // The setting and the statement share the transaction, and it has ended as soon as the
        // statement returns: another connection sees the session idle before the body ends.
        let (probe, state) = try await pool.withTransaction(localSettings: ["billing.probe": "7"], oneStatement: true) {
            connection in
            let row = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT current_setting('billing.probe')::int AS n, pg_backend_pid() AS pid")
            )[0]
            let pid: Int = try row.decode("pid")
            let state: String = try await observer.withConnection {
                try await $0.query("SELECT state FROM pg_stat_activity WHERE pid = \(pid)")[0].decode("state")
            }
            return (try row.decode("n", as: Int.self), state)
        }
        #expect(probe == 7 && state == "idle")

        // It is read only: a write is refused (read_only_sql_transaction), so nothing it does can
        // outlive a body that fails after its statement.
        let write = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction(oneStatement: true) { connection in
                try await connection.execute(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (8)"))
            }
        }
        #expect(write?.sqlState == "25006")
        #expect(try await count(pool, table) == 0)

        // A second statement is refused.
        let refused = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction(oneStatement: true) { connection in
                try await connection.execute(PostgresQuery(unsafeSQL: "SELECT 1"))
                try await connection.execute(PostgresQuery(unsafeSQL: "SELECT 2"))
            }
        }
        #expect(refused?.code == .statementAfterCommit)

        // A failed statement fails the transaction even when the body swallows its error, and the
        // connection goes back idle: the pool keeps it (it replaces one that is not), so the next
        // transaction runs on the same backend.
        func backend() async throws -> Int {
            try await pool.withTransaction(oneStatement: true) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "SELECT pg_backend_pid() AS pid"))[0].decode("pid")
            }
        }
        let before = try await backend()
        let swallowed = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction(oneStatement: true) { connection in
                _ = try? await connection.execute(PostgresQuery(unsafeSQL: "SELECT 1 / 0"))
            }
        }
        #expect(swallowed?.sqlState == "25P02")
        #expect(try await backend() == before)
        await observer.close()
        await pool.close()
    }

    @Test func serializationFailuresAreRetriedWhenAskedFor() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let table = try await makeTable(pool)
        let attempts = Counter()
        try await pool.withTransaction(retryingConflicts: true) { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (1)"))
            if await attempts.increment() == 1 {
                try await connection.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'simulated conflict' USING ERRCODE = '40001'; END $$"
                )
            }
        }
        #expect(await attempts.value == 2)
        #expect(try await count(pool, table) == 1)

        let once = Counter()
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                _ = await once.increment()
                try await connection.execute("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$")
            }
        }
        #expect(error?.isRetryableTransactionFailure == true)
        #expect(await once.value == 1)
        await pool.close()
    }
}

actor Counter {
    private(set) var value = 0

    func increment() -> Int {
        value += 1
        return value
    }
}

@Suite struct CancellationTests {
    /// A request whose task is cancelled mid-transaction must roll back and give its connection
    /// back: no transaction left holding locks, no connection leaked.
    @Test func aCancelledTransactionRollsBackAndReturnsItsConnection() async throws {
        let pool = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let table = "cancel_probe_\(UInt32.random(in: 0 ... .max))"
        try await pool.withConnection {
            try await $0.execute(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (n int)"))
        }
        let inserted = Gate()
        let firstBackend = try await pool.withConnection { $0.backendPID }
        let request = Task {
            try await pool.withTransaction { connection in
                try await connection.execute(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (1)"))
                await inserted.open()
                try await Task.sleep(for: .seconds(30))
            }
        }
        await inserted.wait()
        request.cancel()
        _ = await request.result

        let rows = try await pool.withTransaction { connection in
            try await connection.execute(
                PostgresQuery(unsafeSQL: "LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE NOWAIT"))
            return try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0]
                .decode("n", as: Int.self)
        }
        #expect(rows == 0)
        #expect(try await pool.withConnection { $0.backendPID } == firstBackend, "rolled back and kept, not discarded")
        #expect(await pool.openConnections == 1)
        await pool.close()
    }

    @Test func aCommitThatTheServerTurnedIntoARollbackIsAnError() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                _ = try? await connection.execute("SELECT 1 / 0")
            }
        }
        #expect(error?.sqlState == "25P02")
        await pool.close()
    }

    @Test func textWithANulCharacterIsRefusedNotTruncated() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.query("SELECT \("before\u{0}after")::text AS t") }
        }
        #expect(error?.code == .invalidParameter)
        await pool.close()
    }
}
