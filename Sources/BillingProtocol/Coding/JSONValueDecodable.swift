import BillingCore

/// Params decoded straight from the parsed JSON, as strictly as `ParamsDecoder` decodes any other
/// (unknown fields, missing fields and wrong types reported with their paths), for the few whose
/// size makes the generic `Decodable` path the request's largest cost (`usage.record`'s batches
/// of 1,000 events).
public protocol JSONValueDecodable {
    init(json: JSONValue, path: String, unknown: inout [String]) throws(InvalidParams)
}

/// Reading one JSON object's fields for `JSONValueDecodable`, with `ParamsDecoder`'s messages.
struct JSONFields {
    let fields: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String, known: Set<String>, unknown: inout [String]) throws(InvalidParams) {
        guard case .object(let object) = value else {
            throw InvalidParams(fields: unknown + ["\(path) (expected an object, got \(value.kind))"])
        }
        if object.keys.contains(where: { !known.contains($0) }) {
            for key in object.keys.sorted() where !known.contains(key) {
                unknown.append("\(Self.join(path, key)) (unknown field)")
            }
        }
        fields = object
        self.path = path
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func string(_ key: String, unknown: [String]) throws(InvalidParams) -> String {
        guard let value = try optionalString(key, unknown: unknown) else {
            throw InvalidParams(fields: unknown + ["\(Self.join(path, key)) (missing)"])
        }
        return value
    }

    func optionalString(_ key: String, unknown: [String]) throws(InvalidParams) -> String? {
        switch fields[key] {
        case nil, .null?:
            return nil
        case .string(let text)?:
            guard !text.utf8.contains(0) else {
                throw InvalidParams(fields: unknown + ["\(Self.join(path, key)) (contains a NUL character)"])
            }
            return text
        case let other?:
            throw InvalidParams(fields: unknown + ["\(Self.join(path, key)) (expected a string, got \(other.kind))"])
        }
    }

    func decimal(_ key: String, unknown: [String]) throws(InvalidParams) -> Decimal6 {
        let text = try string(key, unknown: unknown)
        guard let value = Decimal6(text) else {
            throw InvalidParams(
                fields: unknown + [
                    "\(Self.join(path, key)) (expected a decimal string with at most 6 fractional digits, got \"\(text)\")"
                ])
        }
        return value
    }
}
