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
    /// A closure, not `flatMap(\.postgresText)`: a key path through a generic type is resolved at
    /// run time on every call (demangling its type), which cost bulk writes a tenth of their time.
    @inlinable
    public var postgresText: String? {
        switch self {
        case .some(let value): value.postgresText
        case .none: nil
        }
    }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// An array literal (`{…}`) with every element quoted, for `= ANY($1)`, `unnest($1)` and array
    /// columns. Built byte by byte, and inlinable so that it is specialized for the element type
    /// where it is used: bulk writes send hundreds of thousands of elements this way, and the
    /// unspecialized loop looked up type metadata for every one.
    @inlinable
    public var postgresText: String? {
        var literal: [UInt8] = [UInt8(ascii: "{")]
        literal.reserveCapacity(2 + count * 12)
        var first = true
        for element in self {
            if first { first = false } else { literal.append(UInt8(ascii: ",")) }
            guard let text = element.postgresText else {
                literal.append(contentsOf: "NULL".utf8)
                continue
            }
            literal.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { literal.append(UInt8(ascii: "\\")) }
                literal.append(byte)
            }
            literal.append(UInt8(ascii: "\""))
        }
        literal.append(UInt8(ascii: "}"))
        return String(decoding: literal, as: UTF8.self)
    }
}
