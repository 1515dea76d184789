/// A value that can be read from a column in PostgreSQL's text format.
public protocol PostgresDecodable {
    /// Converts the column's text, or nil for SQL NULL.
    static func decode(postgresText: String?, column: String) throws(PostgresError) -> Self
}

/// A non-optional value: a NULL is an error, not a default.
public protocol PostgresNonNullDecodable: PostgresDecodable {
    init?(postgresValue text: String)
}

extension PostgresNonNullDecodable {
    public static func decode(postgresText: String?, column: String) throws(PostgresError) -> Self {
        guard let text = postgresText else {
            throw PostgresError(code: .unexpectedNull, message: "column \(column) is NULL")
        }
        guard let value = Self(postgresValue: text) else {
            throw PostgresError(
                code: .decodingFailed,
                message: "column \(column): cannot read \(Self.self) from \"\(text.prefix(64))\""
            )
        }
        return value
    }
}

extension String: PostgresNonNullDecodable {
    public init?(postgresValue text: String) { self = text }
}

extension Int: PostgresNonNullDecodable {
    public init?(postgresValue text: String) { self.init(text) }
}

extension Int64: PostgresNonNullDecodable {
    public init?(postgresValue text: String) { self.init(text) }
}

extension Int32: PostgresNonNullDecodable {
    public init?(postgresValue text: String) { self.init(text) }
}

extension Bool: PostgresNonNullDecodable {
    public init?(postgresValue text: String) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText: String?, column: String) throws(PostgresError) -> Self {
        guard let text = postgresText else { return nil }
        return try Wrapped.decode(postgresText: text, column: column)
    }
}
