import Foundation

/// A request as read off the wire, before its params are decoded for the method.
public struct RPCRequest: Sendable, Equatable {
    /// Nil for a notification, which gets no response.
    public let id: RPCID?
    /// Whether the request carried an `id` member at all (an explicit null id still gets a response).
    public let expectsResponse: Bool
    public let method: String
    /// Always an object; `{}` when params were omitted.
    public let params: JSONValue

    public init(id: RPCID?, method: String, params: JSONValue = .object([:]), expectsResponse: Bool = true) {
        self.id = id
        self.method = method
        self.params = params
        self.expectsResponse = expectsResponse
    }

    /// Why a line could not be taken as a request, and the id to answer with when one was readable.
    public struct Rejection: Error, Sendable {
        public let id: RPCID?
        public let error: RPCError
    }

    /// Parses one line: `parse_error` if it is not JSON, `invalid_request` if it is not a JSON-RPC
    /// 2.0 request, `invalid_params` if params is not an object.
    public static func parse(line: Data) throws(Rejection) -> RPCRequest {
        let value: JSONValue
        do {
            value = try WireCoding.parse(line)
        } catch {
            throw Rejection(id: nil, error: RPCError(.parseError, "the line is not valid JSON"))
        }
        guard case .object(let object) = value else {
            let what =
                value.kind == "array"
                ? "batches are not supported; send one request per line" : "a request is a JSON object"
            throw Rejection(id: nil, error: RPCError(.invalidRequest, what))
        }
        var id: RPCID?
        switch object["id"] {
        case nil, .null?: id = nil
        case .integer(let number)?: id = .number(number)
        case .string(let string)?: id = .string(string)
        case let other?:
            throw Rejection(
                id: nil, error: RPCError(.invalidRequest, "id must be a string or an integer, not \(other.kind)"))
        }
        guard object["jsonrpc"] == .string("2.0") else {
            throw Rejection(id: id, error: RPCError(.invalidRequest, "jsonrpc must be \"2.0\""))
        }
        guard case .string(let method)? = object["method"], !method.isEmpty else {
            throw Rejection(id: id, error: RPCError(.invalidRequest, "method must be a non-empty string"))
        }
        let unknown = object.keys.filter { !["jsonrpc", "id", "method", "params"].contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw Rejection(
                id: id,
                error: RPCError(.invalidRequest, "unknown members in the request: \(unknown.joined(separator: ", "))")
            )
        }
        let params = object["params"] ?? .object([:])
        guard case .object = params else {
            throw Rejection(
                id: id,
                error: RPCError(.invalidParams, "params must be an object", fields: ["params (expected an object)"])
            )
        }
        return RPCRequest(id: id, method: method, params: params, expectsResponse: object["id"] != nil)
    }
}
