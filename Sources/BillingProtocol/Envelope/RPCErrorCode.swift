/// The error codes of PROTOCOL.md, each with the `data.type` word partners branch on.
public struct RPCErrorCode: Sendable, Hashable, Codable {
    public let code: Int
    public let type: String

    public init(code: Int, type: String) {
        self.code = code
        self.type = type
    }

    public static let parseError = RPCErrorCode(code: -32700, type: "parse_error")
    public static let invalidRequest = RPCErrorCode(code: -32600, type: "invalid_request")
    public static let frameTooLarge = RPCErrorCode(code: -32600, type: "frame_too_large")
    public static let methodNotFound = RPCErrorCode(code: -32601, type: "method_not_found")
    public static let invalidParams = RPCErrorCode(code: -32602, type: "invalid_params")
    public static let internalError = RPCErrorCode(code: -32603, type: "internal")
    public static let unauthenticated = RPCErrorCode(code: -32001, type: "unauthenticated")
    public static let forbidden = RPCErrorCode(code: -32002, type: "forbidden")
    public static let notFound = RPCErrorCode(code: -32003, type: "not_found")
    public static let conflict = RPCErrorCode(code: -32004, type: "conflict")
    public static let validationFailed = RPCErrorCode(code: -32005, type: "validation_failed")
    public static let overloaded = RPCErrorCode(code: -32006, type: "overloaded")
    public static let unavailable = RPCErrorCode(code: -32007, type: "unavailable")
    /// A subscription's consumer left too many pushed events unacknowledged; it was disconnected.
    public static let slowConsumer = RPCErrorCode(code: -32008, type: "slow_consumer")
}
