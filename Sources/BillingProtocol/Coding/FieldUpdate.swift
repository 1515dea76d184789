/// A field of an `X.update`: absent leaves the value as it is, `null` clears it (for account
/// settings: back to inheriting), a value sets it.
public enum FieldUpdate<Value: Codable & Sendable & Equatable>: Sendable, Equatable {
    case unchanged
    case set(Value?)
}

extension KeyedDecodingContainer {
    public func decodeUpdate<Value>(_ type: Value.Type, forKey key: Key) throws -> FieldUpdate<Value> {
        guard contains(key) else { return .unchanged }
        if try decodeNil(forKey: key) { return .set(nil) }
        return .set(try decode(Value.self, forKey: key))
    }
}

extension KeyedEncodingContainer {
    public mutating func encode<Value>(_ update: FieldUpdate<Value>, forKey key: Key) throws {
        if case .set(let value) = update { try encode(value, forKey: key) }
    }
}
