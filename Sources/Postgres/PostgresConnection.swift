import CLibPQ
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libpq connection, driven from async code.
///
/// libpq calls block, so every call runs on a thread of a `NIOThreadPool`, never on an event loop
/// or Swift's cooperative pool. A connection is used by one task at a time (the pool guarantees it),
/// which is why the unchecked `Sendable` is sound: its mutable state is touched by one thread at a
/// time, handed over through the thread pool.
///
/// Statements are prepared on first use and run by name afterwards (`PreparedStatements`), so the
/// connection must be a real session: not behind a transaction-mode pooler.
public final class PostgresConnection: @unchecked Sendable {
    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    let handle: OpaquePointer
    let threadPool: NIOThreadPool
    var statements = PreparedStatements()
    /// `BEGIN` and the transaction's settings, not sent yet: they travel with the transaction's
    /// first statement, in the same round trip.
    private var opening: [PostgresQuery] = []
    /// Set for a transaction declared to run one statement: its `COMMIT` travels with that
    /// statement, in the same round trip.
    private var commitsWithStatement = false
    /// What the server answered to a `COMMIT` sent with the statement.
    private var commitTag: String?

    private init(handle: OpaquePointer, threadPool: NIOThreadPool) {
        self.handle = handle
        self.threadPool = threadPool
    }

    /// Opens a connection from a libpq connection string or `postgresql://` URL; the URL's own
    /// settings win over the defaults given here.
    public static func connect(
        url: String,
        threadPool: NIOThreadPool,
        applicationName: String = "ledgerline",
        connectTimeoutSeconds: Int = 5
    ) async throws -> PostgresConnection {
        try await threadPool.runIfActive {
            let keywords = ["application_name", "connect_timeout", "client_encoding", "options", "dbname"]
            let values = [applicationName, String(connectTimeoutSeconds), "UTF8", "-c TimeZone=UTC", url]
            let handle = withCStrings(keywords) { keywordPointers in
                withCStrings(values) { valuePointers in
                    PQconnectdbParams(keywordPointers + [nil], valuePointers + [nil], 1)
                }
            }
            guard let handle else {
                throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
            }
            guard PQstatus(handle) == CONNECTION_OK else {
                let message = PostgresError.connectionMessage(handle)
                PQfinish(handle)
                throw PostgresError(code: .connectionFailed, message: message)
            }
            PQsetNoticeProcessor(handle, { _, _ in }, nil)
            return PostgresConnection(handle: handle, threadPool: threadPool)
        }
    }

    /// Runs one statement and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await threadPool.runIfActive { try self.run(query) }
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query).affectedRows
    }

    /// Runs several statements in one string without parameters (simple query protocol), for
    /// migration files written by the project. A script may change the schema, so prepared
    /// statements are dropped afterwards.
    public func executeScript(_ script: String) async throws {
        _ = try await threadPool.runIfActive {
            try self.sendOpening()
            try self.consume(PQexec(self.handle, script))
            try self.consume(PQexec(self.handle, "DEALLOCATE ALL"))
            self.statements.forgetAll()
        }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    ///
    /// `localSettings` are set with `set_config(name, value, true)` for this transaction only (this
    /// is how a request's tenant is set). `BEGIN` and the settings are sent with the transaction's
    /// first statement, in one round trip; a transaction that runs no statement costs none.
    ///
    /// `oneStatement` declares that `body` runs a single read: the transaction is `READ ONLY` and
    /// `COMMIT` is sent with the statement, so the whole transaction is one round trip (a read by
    /// key). A second statement fails with `statementAfterCommit`. Read only, because the statement
    /// has committed before `body` returns: a write could not be undone by `body` failing later,
    /// and a connection lost during that `COMMIT` would leave a write's outcome unknown.
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted,
        localSettings: KeyValuePairs<String, String> = [:],
        oneStatement: Bool = false,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var opening = [
            PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.rawValue)\(oneStatement ? " READ ONLY" : "")")
        ]
        for (name, value) in localSettings {
            opening.append("SELECT set_config(\(name), \(value), true)")
        }
        self.opening = opening
        commitsWithStatement = oneStatement
        commitTag = nil
        defer {
            commitsWithStatement = false
            commitTag = nil
        }
        let value: T
        do {
            value = try await body(self)
        } catch {
            await rollBack()
            throw error
        }
        guard self.opening.isEmpty else {
            self.opening = []
            return value
        }
        let tag: String
        if let commitTag {
            tag = commitTag
        } else {
            do {
                tag = try await query("COMMIT").commandTag
            } catch let error as PostgresError where error.code == .connectionClosed {
                throw PostgresError(
                    code: .commitOutcomeUnknown,
                    message: "the connection was lost while committing; the transaction may or may not have committed"
                )
            }
        }
        guard tag == "COMMIT" else {
            // A pipeline whose statement failed skipped its COMMIT and left the transaction
            // aborted: end it, so the connection goes back idle.
            await rollBack()
            throw PostgresError(
                code: .server,
                message: "the transaction was rolled back at COMMIT because a statement in it had failed",
                sqlState: "25P02"
            )
        }
        return value
    }

    /// Quotes a string as an SQL literal the way libpq does, for the few statements that cannot take
    /// parameters (`ALTER ROLE … PASSWORD`).
    public func escapeLiteral(_ text: String) async throws -> String {
        try await threadPool.runIfActive {
            guard let escaped = PQescapeLiteral(self.handle, text, text.utf8.count) else {
                throw PostgresError(code: .server, message: PostgresError.connectionMessage(self.handle))
            }
            defer { PQfreemem(escaped) }
            return String(cString: escaped)
        }
    }

    /// Quotes a name as an SQL identifier the way libpq does (`CREATE DATABASE` takes no parameters).
    public func escapeIdentifier(_ name: String) async throws -> String {
        try await threadPool.runIfActive {
            guard let escaped = PQescapeIdentifier(self.handle, name, name.utf8.count) else {
                throw PostgresError(code: .server, message: PostgresError.connectionMessage(self.handle))
            }
            defer { PQfreemem(escaped) }
            return String(cString: escaped)
        }
    }

    /// The server process serving this connection, as `pg_stat_activity.pid` shows it.
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Whether the connection is open and not inside a transaction, checked without a round trip:
    /// pending input (such as the server's goodbye after a restart) is read first.
    func isHealthy() async -> Bool {
        (try? await runToCompletion { self.checkIdleConnection() }) ?? false
    }

    /// Rolls back whatever is open, even when the calling task was cancelled (a cancelled request
    /// must not leave a transaction holding locks).
    private func rollBack() async {
        guard opening.isEmpty else {
            opening = []
            return
        }
        guard isUsable else { return }
        // Past a one-statement transaction's pipelined COMMIT, this ROLLBACK is the one statement
        // still allowed: it ends the transaction if the COMMIT was skipped, and is a no-op if not.
        commitTag = nil
        _ = try? await runToCompletion { try self.run("ROLLBACK") }
    }

    /// Runs `work` on the thread pool even if the calling task is cancelled: `runIfActive` refuses
    /// work from a cancelled task, which is right for queries but not for cleanup.
    private func runToCompletion<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let threadPool = self.threadPool
        return try await Task { try await threadPool.runIfActive(work) }.value
    }

    /// An idle connection has nothing to read unless the server said goodbye (a restart sends an
    /// error, then closes): read until the socket is quiet, so that the close is seen too.
    private func checkIdleConnection() -> Bool {
        for _ in 0..<4 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            guard PQconsumeInput(handle) == 1 else { return false }
        }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    var isUsable: Bool { PQstatus(handle) == CONNECTION_OK }

    var isIdle: Bool { PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE }

    /// Closes the connection; it must not be used afterwards.
    public func close() async {
        _ = try? await runToCompletion { PQfinish(self.handle) }
    }

    // MARK: - On the pool thread

    func run(_ query: PostgresQuery) throws -> PostgresRows {
        try runAfterOpening([query])[0]
    }

    /// Runs `queries` in one round trip, preceded by the transaction's opening if it has not been
    /// sent yet; returns the results of `queries` only.
    func runAfterOpening(_ queries: [PostgresQuery]) throws -> [PostgresRows] {
        guard commitTag == nil else {
            throw PostgresError(
                code: .statementAfterCommit,
                message: "a transaction declared to run one statement ran another after it had committed")
        }
        let opening = takeOpening()
        guard commitsWithStatement, !opening.isEmpty else {
            return Array(try runBatch(opening + queries).dropFirst(opening.count))
        }
        let results: [PostgresRows]
        do {
            results = try runBatch(opening + queries + ["COMMIT"])
        } catch {
            // The pipeline's COMMIT ended the transaction either way: should `body` go on after this
            // error, no later COMMIT may report the failed statement committed.
            commitTag = "ROLLBACK"
            throw error
        }
        commitTag = results.last?.commandTag ?? ""
        return Array(results.dropFirst(opening.count).dropLast())
    }

    /// The transaction's opening if it has not been sent yet; it is then the caller's to send.
    private func takeOpening() -> [PostgresQuery] {
        defer { opening = [] }
        return opening
    }

    /// Sends the transaction's opening on its own, before work that cannot carry it (COPY, scripts).
    func sendOpening() throws {
        let opening = takeOpening()
        if !opening.isEmpty { _ = try runBatch(opening) }
    }

    /// PostgreSQL text cannot hold a NUL character, and C strings would silently cut the value there.
    static func refuseNULCharacters(_ binds: [String?]) throws {
        for case let bind? in binds where Self.containsNUL(bind) {
            throw PostgresError(code: .invalidParameter, message: "a parameter contains a NUL character")
        }
    }

    /// With `memchr` where the text is contiguous: bulk writes check array literals of megabytes.
    private static func containsNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false
        }
            ?? text.utf8.contains(0)
    }

    @discardableResult
    func consume(_ result: OpaquePointer?) throws -> PostgresRows {
        guard let result else { throw PostgresError.lost(handle) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(result: result)
        default:
            throw PostgresError(result: result, connection: handle)
        }
    }

    /// Sends buffered output, reading input meanwhile so that neither side can block the other.
    func flushOutput() throws {
        while true {
            switch PQflush(handle) {
            case 0:
                return
            case 1:
                var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN | POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, 1000)
                if descriptor.revents & Int16(POLLIN) != 0, PQconsumeInput(handle) != 1 {
                    throw PostgresError.lost(handle)
                }
            default:
                throw PostgresError.lost(handle)
            }
        }
    }
}

func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    withOptionalCStrings(strings.map { Optional($0) }, body)
}

func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { $0.flatMap { strdup($0) } }
    defer { for copy in copies { free(copy) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}
