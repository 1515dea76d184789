import EmbeddedPostgres
import Postgres
import TestSupport
import Testing

@Suite struct PoolTests {
    @Test func aFullPoolFailsWithUnavailableInsteadOfHanging() async throws {
        let database = try await TestDatabase.shared
        let pool = PostgresPool(
            configuration: .init(url: database.ownerURL(), maxConnections: 2, acquireTimeout: .milliseconds(300))
        )
        let holders = Gate()
        async let first: Void = pool.withConnection { _ in await holders.wait() }
        async let second: Void = pool.withConnection { _ in await holders.wait() }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.query("SELECT 1") }
        }
        let waited = ContinuousClock.now - started
        #expect(error?.code == .unavailable)
        #expect(waited >= .milliseconds(250) && waited < .seconds(3))
        await holders.open()
        _ = try await (first, second)
        #expect(await pool.openConnections == 2)
        #expect(
            try await pool.withConnection { try await $0.query("SELECT 1 AS one")[0].decode("one", as: Int.self) } == 1)
        await pool.close()
    }

    @Test func theNextWaiterGetsAReleasedConnection() async throws {
        let pool = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for value in 1...20 {
                group.addTask {
                    try await pool.withConnection {
                        try await $0.query("SELECT \(value)::int AS v")[0].decode("v", as: Int.self)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted() == Array(1...20))
        #expect(await pool.openConnections == 1)
        await pool.close()
    }

    @Test func survivesARestartAndFailsFastWhileTheDatabaseIsDown() async throws {
        var cluster = try TestDatabase.makePrivateCluster()
        defer { try? cluster.stop() }
        let pool = PostgresPool(
            configuration: .init(url: cluster.superuserURL(), maxConnections: 2, connectTimeoutSeconds: 2))
        let before = try await pool.withConnection { $0.backendPID }

        try cluster.restart()
        let after = try await pool.withConnection { connection in
            _ = try await connection.query("SELECT 1")
            return connection.backendPID
        }
        #expect(after != before)

        try cluster.stop()
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.query("SELECT 1") }
        }
        #expect(error?.code == .unavailable)
        #expect(ContinuousClock.now - started < .seconds(3))

        try cluster.start(port: cluster.port)
        #expect(
            try await pool.withConnection { try await $0.query("SELECT 2 AS two")[0].decode("two", as: Int.self) } == 2)
        await pool.close()
    }
}

/// Holds tasks until opened.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}
