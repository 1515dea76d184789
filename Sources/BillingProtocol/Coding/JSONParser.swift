/// Reads JSON text (RFC 8259) straight into a `JSONValue`, byte by byte.
///
/// Every request line is parsed here. Going through `Decodable` instead tried each JSON kind in
/// turn and built an error for every miss, which cost more than the rest of a small request.
/// Numbers follow `JSONDecoder`: an integral value that fits `Int64` is an integer (`1.0` too),
/// anything else a `Double`.
struct JSONParser {
    /// Nesting deeper than this is refused rather than risking the stack.
    static let maximumDepth = 512

    struct Malformed: Error {
        let offset: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Malformed) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw Malformed(offset: parser.position) }
        return value
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private var malformed: Malformed { Malformed(offset: position) }

    private mutating func value(depth: Int) throws(Malformed) -> JSONValue {
        guard position < bytes.count else { throw malformed }
        switch bytes[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw malformed }
            return bytes[position] == UInt8(ascii: "{") ? try object(depth: depth + 1) : try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default: return try number()
        }
    }

    private mutating func object(depth: Int) throws(Malformed) -> JSONValue {
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        repeat {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw malformed }
            let key = try string()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw malformed }
            skipWhitespace()
            members[key] = try value(depth: depth)
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")) else { throw malformed }
        return .object(members)
    }

    private mutating func array(depth: Int) throws(Malformed) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(elements) }
        repeat {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "]")) else { throw malformed }
        return .array(elements)
    }

    /// A string starting at the opening quote; unescaped runs are copied as they are (after
    /// checking they are UTF-8), escapes decoded.
    private mutating func string() throws(Malformed) -> String {
        position += 1
        var utf8: [UInt8] = []
        var runStart = position
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                let text: String
                if utf8.isEmpty {
                    text = try validated(UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                } else {
                    utf8.append(contentsOf: bytes[runStart..<position])
                    text = try validated(utf8)
                }
                position += 1
                return text
            case UInt8(ascii: "\\"):
                utf8.append(contentsOf: bytes[runStart..<position])
                position += 1
                try escape(into: &utf8)
                runStart = position
            case 0..<0x20:
                throw malformed
            default:
                position += 1
            }
        }
        throw malformed
    }

    private func validated(_ utf8: some Collection<UInt8>) throws(Malformed) -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else { throw malformed }
        return text
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(Malformed) {
        guard position < bytes.count else { throw malformed }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hex4())
            if (0xD800..<0xDC00).contains(scalar) {
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else { throw malformed }
                let low = UInt32(try hex4())
                guard (0xDC00..<0xE000).contains(low) else { throw malformed }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw malformed }
            utf8.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw malformed
        }
    }

    private mutating func hex4() throws(Malformed) -> UInt16 {
        guard position + 4 <= bytes.count else { throw malformed }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw malformed
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    private mutating func number() throws(Malformed) -> JSONValue {
        let start = position
        _ = consume(UInt8(ascii: "-"))
        guard position < bytes.count else { throw malformed }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            guard digits() > 0 else { throw malformed }
        }
        var integral = true
        if consume(UInt8(ascii: ".")) {
            integral = false
            guard digits() > 0 else { throw malformed }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            integral = false
            position += 1
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard digits() > 0 else { throw malformed }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if integral, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else { throw Malformed(offset: start) }
        if let integer = Int64(exactly: double) { return .integer(integer) }
        return .number(double)
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            position += 1
        }
        return position - start
    }

    private mutating func literal(_ word: StaticString) throws(Malformed) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw malformed }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] { throw malformed }
        position += count
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }
}
