import NIOPosix

/// A bounded set of connections shared by all requests.
///
/// Idle connections are checked before they are handed out, so the pool recovers by itself after a
/// PostgreSQL restart. A caller that cannot get a connection in time, or whose connection cannot be
/// opened because the database is gone, gets `.unavailable` at once instead of hanging.
public actor PostgresPool {
    public struct Configuration: Sendable {
        /// A libpq connection string or `postgresql://` URL.
        public var url: String
        public var maxConnections: Int
        /// How long a caller waits for a busy pool before failing with `.unavailable`.
        public var acquireTimeout: Duration
        public var connectTimeoutSeconds: Int
        public var applicationName: String

        public init(
            url: String,
            maxConnections: Int = 10,
            acquireTimeout: Duration = .seconds(5),
            connectTimeoutSeconds: Int = 5,
            applicationName: String = "ledgerline"
        ) {
            self.url = url
            self.maxConnections = maxConnections
            self.acquireTimeout = acquireTimeout
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.applicationName = applicationName
        }
    }

    /// What a waiting caller is handed: a connection someone released, or room to open a new one.
    private enum Lease {
        case connection(PostgresConnection)
        case openNew
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Lease, any Error>
        let timeout: Task<Void, Never>
    }

    public nonisolated let configuration: Configuration
    private let threadPool: NIOThreadPool
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var isClosed = false
    private var threadsStopped = false

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.maxConnections + 1)
        self.threadPool.start()
    }

    /// Runs `body` with a pool that is closed afterwards, whatever happens (for commands and setup
    /// steps that need the database only for a while).
    public static func using<T>(
        _ configuration: Configuration,
        _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        let pool = PostgresPool(configuration: configuration)
        do {
            let value = try await body(pool)
            await pool.close()
            return value
        } catch {
            await pool.close()
            throw error
        }
    }

    /// Lends a connection to `body` and takes it back afterwards, whatever happens.
    @discardableResult
    public nonisolated func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let value = try await body(connection)
            await giveBack(connection)
            return value
        } catch {
            await giveBack(connection)
            throw error
        }
    }

    /// Runs `body` in one transaction. With `retryingConflicts`, a serialization failure or
    /// deadlock rolls back and runs `body` again (up to `attempts` times), so `body` must be safe
    /// to repeat.
    @discardableResult
    public nonisolated func withTransaction<T>(
        isolation: PostgresConnection.IsolationLevel = .readCommitted,
        localSettings: KeyValuePairs<String, String> = [:],
        oneStatement: Bool = false,
        retryingConflicts: Bool = false,
        attempts: Int = 4,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try await connection.transaction(
                        isolation: isolation, localSettings: localSettings, oneStatement: oneStatement, body)
                }
            } catch let error as PostgresError
                where retryingConflicts && error.isRetryableTransactionFailure
                && attempt < attempts
            {
                try await Task.sleep(for: .milliseconds(5 * (1 << attempt) + Int.random(in: 0...10)))
                attempt += 1
            }
        }
    }

    /// Connections currently open (idle or lent), for metrics and tests.
    public var openConnections: Int { openCount }

    public var usage: PoolUsage {
        PoolUsage(
            open: openCount, inUse: openCount - idle.count, waiting: waiters.count,
            maximum: configuration.maxConnections)
    }

    /// Closes every idle connection and refuses further use; lent connections close when returned.
    public func close() async {
        isClosed = true
        for waiter in waiters {
            waiter.timeout.cancel()
            waiter.continuation.resume(throwing: PostgresError(code: .poolClosed, message: "the pool is closed"))
        }
        waiters.removeAll()
        let connections = idle
        idle.removeAll()
        for connection in connections {
            await connection.close()
            openCount -= 1
        }
        await shutDownThreadsIfUnused()
    }

    /// Stops the threads once the pool is closed and the last connection is gone (exactly once).
    private func shutDownThreadsIfUnused() async {
        guard isClosed, openCount == 0, !threadsStopped else { return }
        threadsStopped = true
        try? await threadPool.shutdownGracefully()
    }

    private func lease() async throws -> PostgresConnection {
        while true {
            try Task.checkCancellation()
            guard !isClosed else { throw PostgresError(code: .poolClosed, message: "the pool is closed") }
            if let connection = idle.popLast() {
                if await connection.isHealthy() { return connection }
                await discard(connection)
                continue
            }
            if openCount < configuration.maxConnections {
                openCount += 1
                return try await openConnection()
            }
            switch try await waitForLease() {
            case .connection(let connection):
                if await connection.isHealthy() { return connection }
                await discard(connection)
            case .openNew:
                return try await openConnection()
            }
        }
    }

    /// Opens a connection for a slot already counted in `openCount`.
    private func openConnection() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(
                url: configuration.url,
                threadPool: threadPool,
                applicationName: configuration.applicationName,
                connectTimeoutSeconds: configuration.connectTimeoutSeconds
            )
        } catch let error as PostgresError {
            releaseSlot()
            throw PostgresError(code: .unavailable, message: "database unavailable: \(error.message)")
        } catch {
            releaseSlot()
            throw error
        }
    }

    private func waitForLease() async throws -> Lease {
        nextWaiterID += 1
        let id = nextWaiterID
        let timeout = configuration.acquireTimeout
        return try await withCheckedThrowingContinuation { continuation in
            let timer = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                await self?.expireWaiter(id)
            }
            waiters.append(Waiter(id: id, continuation: continuation, timeout: timer))
        }
    }

    private func expireWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.continuation.resume(
            throwing: PostgresError(
                code: .unavailable,
                message: "no database connection became free within \(configuration.acquireTimeout)"
            )
        )
    }

    private func giveBack(_ connection: PostgresConnection) async {
        guard connection.isIdle, !isClosed else {
            await discard(connection)
            return
        }
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            waiter.timeout.cancel()
            waiter.continuation.resume(returning: .connection(connection))
        } else {
            idle.append(connection)
        }
    }

    private func discard(_ connection: PostgresConnection) async {
        await connection.close()
        releaseSlot()
        await shutDownThreadsIfUnused()
    }

    /// Frees a slot, or hands it straight to the longest waiter.
    private func releaseSlot() {
        if !waiters.isEmpty, !isClosed {
            let waiter = waiters.removeFirst()
            waiter.timeout.cancel()
            waiter.continuation.resume(returning: .openNew)
        } else {
            openCount -= 1
        }
    }
}
