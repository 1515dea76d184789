import Foundation

/// The one JSON encoding used on the wire: compact, one line, keys as the types declare them.
public enum WireCoding {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(value)
    }

    /// Parses JSON text; throws when it is not JSON.
    public static func parse(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            try JSONParser.parse(raw.bindMemory(to: UInt8.self))
        }
    }

    /// Turns an encodable value into a `JSONValue` (for payloads kept as JSON).
    public static func value(of encodable: some Encodable) throws -> JSONValue {
        try parse(encode(encodable))
    }
}
