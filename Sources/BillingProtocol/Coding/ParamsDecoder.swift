/// Decodes a method's params from JSON strictly: every unknown field met while decoding is reported
/// with its path, together with the first missing field or value of the wrong JSON type (decoding
/// cannot go on past that one).
///
/// The wire types declare `CodingKeys: String, CodingKey`; a field name those keys do not know is
/// unknown. A JSON number where a string (a decimal) is expected is a type mismatch.
public enum ParamsDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(InvalidParams) -> T {
        if let direct = T.self as? any JSONValueDecodable.Type {
            var unknown: [String] = []
            let decoded = try direct.init(json: value, path: "", unknown: &unknown)
            guard unknown.isEmpty else { throw InvalidParams(fields: unknown) }
            if let typed = decoded as? T { return typed }
        }
        let state = StrictDecodingState()
        let decoder = StrictDecoder(value: value, codingPath: [], state: state)
        let decoded: T
        do {
            decoded = try T(from: decoder)
        } catch let error as DecodingError {
            var fields = state.unknownFields.map { "\($0) (unknown field)" }
            fields.append(Self.describe(error))
            throw InvalidParams(fields: fields)
        } catch let error as InvalidParams {
            throw InvalidParams(fields: state.unknownFields.map { "\($0) (unknown field)" } + error.fields)
        } catch {
            throw InvalidParams(fields: ["\(error)"])
        }
        if !state.unknownFields.isEmpty {
            throw InvalidParams(fields: state.unknownFields.map { "\($0) (unknown field)" })
        }
        return decoded
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) (missing)"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return
                "\(path(context.codingPath)) (\(context.debugDescription.isEmpty ? "expected \(type)" : context.debugDescription))"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)) (\(context.debugDescription))"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Params that could not be decoded: every offending field with what was wrong with it.
public struct InvalidParams: Error, Sendable, Equatable {
    public let fields: [String]

    public init(fields: [String]) {
        self.fields = fields
    }

    public var message: String { "invalid params: " + fields.joined(separator: "; ") }
}

final class StrictDecodingState {
    var unknownFields: [String] = []
}

struct StrictDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let state: StrictDecodingState
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw mismatch("an object", codingPath)
        }
        for name in object.keys.sorted() where Key(stringValue: name) == nil {
            state.unknownFields.append(ParamsDecoder.path(codingPath + [AnyKey(name)]))
        }
        return KeyedDecodingContainer(StrictKeyedContainer<Key>(object: object, codingPath: codingPath, state: state))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else {
            throw mismatch("an array", codingPath)
        }
        return StrictUnkeyedContainer(array: array, codingPath: codingPath, state: state)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        StrictSingleValueContainer(value: value, codingPath: codingPath, state: state)
    }

    func mismatch(_ expected: String, _ path: [any CodingKey]) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: path, debugDescription: "expected \(expected), got \(value.kind)"))
    }
}

struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init(index: Int) {
        stringValue = String(index)
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}

struct StrictSingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let state: StrictDecodingState

    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let bool) = value else { throw mismatch("a boolean") }
        return bool
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let string) = value else { throw mismatch("a string") }
        guard !string.utf8.contains(0) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "contains a NUL character"))
        }
        return string
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .number(let number): return number
        case .integer(let integer): return Double(integer)
        default: throw mismatch("a number")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode<T: FixedWidthInteger>(integer type: T.Type) throws -> T {
        guard case .integer(let integer) = value, let exact = T(exactly: integer) else {
            throw mismatch("an integer")
        }
        return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try decode(integer: type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(integer: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(integer: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(integer: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(integer: type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(integer: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(integer: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(integer: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(integer: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(integer: type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == JSONValue.self, let value = value as? T { return value }
        return try T(from: StrictDecoder(value: value, codingPath: codingPath, state: state))
    }

    private func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(
            Any.self, .init(codingPath: codingPath, debugDescription: "expected \(expected), got \(value.kind)"))
    }
}

struct StrictKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: [String: JSONValue]
    let codingPath: [any CodingKey]
    let state: StrictDecodingState

    var allKeys: [Key] { object.keys.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool { (object[key.stringValue] ?? .null) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return try StrictSingleValueContainer(value: value, codingPath: codingPath + [key], state: state)
            .decode(type)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try single(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try single(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try single(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try single(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try single(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try single(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try single(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try single(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try single(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try single(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try single(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try single(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try single(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try single(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try StrictDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key], state: state)
            .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try StrictDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key], state: state)
            .unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        StrictDecoder(value: .object(object), codingPath: codingPath, state: state)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        StrictDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key], state: state)
    }

    private func single(_ key: Key) throws -> StrictSingleValueContainer {
        guard let value = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return StrictSingleValueContainer(value: value, codingPath: codingPath + [key], state: state)
    }
}

struct StrictUnkeyedContainer: UnkeyedDecodingContainer {
    let array: [JSONValue]
    let codingPath: [any CodingKey]
    let state: StrictDecodingState
    var currentIndex = 0

    init(array: [JSONValue], codingPath: [any CodingKey], state: StrictDecodingState) {
        self.array = array
        self.codingPath = codingPath
        self.state = state
    }

    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, array[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "array too short"))
        }
        let element = StrictSingleValueContainer(
            value: array[currentIndex],
            codingPath: codingPath + [AnyKey(index: currentIndex)],
            state: state
        )
        currentIndex += 1
        return try element.decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try nextDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try nextDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try nextDecoder() }

    private mutating func nextDecoder() throws -> StrictDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: codingPath, debugDescription: "array too short"))
        }
        defer { currentIndex += 1 }
        return StrictDecoder(
            value: array[currentIndex], codingPath: codingPath + [AnyKey(index: currentIndex)], state: state)
    }
}
