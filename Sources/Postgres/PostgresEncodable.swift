/// A value that can be bound as a query parameter, sent in PostgreSQL's text format.
///
/// Everything travels as text so that NUMERIC keeps every digit and the server, not the client,
/// parses dates and numbers.
public protocol PostgresEncodable: Sendable {
    /// The parameter's text, or nil for SQL NULL.
    var postgresText: String? { get }
}

extension String: PostgresEncodable {
    public var postgresText: String? { self }
}

extension Int: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Int32: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Bool: PostgresEncodable {
    public var postgresText: String? { self ? "t" : "f" }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self.flatMap(\.postgresText) }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// An array literal (`{…}`) with every element quoted, for `= ANY($1)` and array columns.
    public var postgresText: String? {
        let elements = self.map { element -> String in
            guard let text = element.postgresText else { return "NULL" }
            let escaped = text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
            return "\"\(escaped)\""
        }
        return "{" + elements.joined(separator: ",") + "}"
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
