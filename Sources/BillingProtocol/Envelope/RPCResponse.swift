import Foundation

/// A response line: the request's id with either a result or an error.
public struct RPCResponse: Sendable, Equatable, Decodable {
    public let id: RPCID?
    public let outcome: Result<JSONValue, RPCError>

    public init(id: RPCID?, outcome: Result<JSONValue, RPCError>) {
        self.id = id
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey {
        case jsonrpc, id, result, error
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(RPCID.self, forKey: .id)
        if let error = try container.decodeIfPresent(RPCError.self, forKey: .error) {
            outcome = .failure(error)
        } else {
            outcome = .success(try container.decode(JSONValue.self, forKey: .result))
        }
    }

    /// The response line for a result, without the trailing newline.
    public static func encode(id: RPCID?, result: some Encodable) throws -> Data {
        try WireCoding.encode(Success(id: id, result: result))
    }

    /// The response line for an error, without the trailing newline.
    public static func encode(id: RPCID?, error: RPCError) -> Data {
        // An RPCError holds only strings and integers, which always encode.
        (try? WireCoding.encode(Failure(id: id, error: error))) ?? Data()
    }

    private struct Success<Result: Encodable>: Encodable {
        let id: RPCID?
        let result: Result

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("2.0", forKey: .jsonrpc)
            try container.encode(id, forKey: .id)
            try container.encode(result, forKey: .result)
        }
    }

    private struct Failure: Encodable {
        let id: RPCID?
        let error: RPCError

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("2.0", forKey: .jsonrpc)
            try container.encode(id, forKey: .id)
            try container.encode(error, forKey: .error)
        }
    }
}
