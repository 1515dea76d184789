import CLibPQ

/// A failure from the database or from the layer around it, with everything PostgreSQL said.
///
/// The service layer decides what a failure means to a caller (conflict, not found, retry,
/// unavailable) from `code` and `sqlState`, so both are kept exact.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// Extensible error code, in the style of PostgresNIO's `PSQLError.Code`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case server
            case connectionFailed
            case connectionClosed
            case unavailable
            case poolClosed
            case unexpectedNull
            case decodingFailed
            case missingColumn
            case copyFailed
            case commitOutcomeUnknown
            case invalidParameter
            case statementAfterCommit
        }

        private let base: Base

        /// PostgreSQL rejected a statement; `sqlState` says why.
        public static let server = Code(base: .server)
        /// A new connection could not be opened.
        public static let connectionFailed = Code(base: .connectionFailed)
        /// An open connection broke while in use.
        public static let connectionClosed = Code(base: .connectionClosed)
        /// No connection could be had in time, or the database cannot be reached.
        public static let unavailable = Code(base: .unavailable)
        /// The pool was shut down.
        public static let poolClosed = Code(base: .poolClosed)
        /// A NULL arrived where a value was required.
        public static let unexpectedNull = Code(base: .unexpectedNull)
        /// A value's text could not be converted to the requested type.
        public static let decodingFailed = Code(base: .decodingFailed)
        /// A transaction declared to run one statement ran another after it (a programming error).
        public static let statementAfterCommit = Code(base: .statementAfterCommit)
        /// A result has no column of the requested name.
        public static let missingColumn = Code(base: .missingColumn)
        /// COPY data could not be sent.
        public static let copyFailed = Code(base: .copyFailed)
        /// The connection broke after COMMIT was sent: the transaction may or may not have committed.
        public static let commitOutcomeUnknown = Code(base: .commitOutcomeUnknown)
        /// A bound value cannot be sent (it contains a NUL character).
        public static let invalidParameter = Code(base: .invalidParameter)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    public var sqlState: String?
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?

    public init(
        code: Code,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        constraint: String? = nil,
        table: String? = nil,
        column: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    /// A serialization failure or deadlock: the transaction may succeed if run again.
    public var isRetryableTransactionFailure: Bool {
        sqlState == SQLState.serializationFailure || sqlState == SQLState.deadlockDetected
    }

    /// The database could not be reached or the connection was lost: nothing can have been committed
    /// by a statement that had not yet been answered.
    public var isConnectionFailure: Bool {
        code == .connectionFailed || code == .connectionClosed || code == .unavailable
            || (sqlState?.hasPrefix("08") ?? false) || sqlState == SQLState.adminShutdown
            || sqlState == SQLState.cannotConnectNow
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += " detail: \(detail)" }
        if let constraint { text += " constraint: \(constraint)" }
        return text
    }

    init(result: OpaquePointer, connection: OpaquePointer) {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        let primary = field(Int32(UInt8(ascii: "M"))) ?? Self.connectionMessage(connection)
        self.init(
            code: .server,
            message: primary,
            sqlState: field(Int32(UInt8(ascii: "C"))),
            detail: field(Int32(UInt8(ascii: "D"))),
            hint: field(Int32(UInt8(ascii: "H"))),
            constraint: field(Int32(UInt8(ascii: "n"))),
            table: field(Int32(UInt8(ascii: "t"))),
            column: field(Int32(UInt8(ascii: "c")))
        )
        if PQstatus(connection) != CONNECTION_OK {
            code = .connectionClosed
        }
    }

    static func connectionMessage(_ connection: OpaquePointer?) -> String {
        guard let connection, let text = PQerrorMessage(connection) else { return "unknown libpq error" }
        return String(cString: text).trimmingTrailingWhitespace()
    }

    static func lost(_ connection: OpaquePointer) -> PostgresError {
        PostgresError(code: .connectionClosed, message: connectionMessage(connection))
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
