/// A JSON-RPC error object: a code, a message in plain words, and structured `data`.
public struct RPCError: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    public struct Data: Sendable, Codable, Equatable {
        public var type: String
        /// For `validation_failed`: a stable snake_case word.
        public var reason: String?
        /// For `validation_failed`: the field at fault.
        public var field: String?
        /// For `invalid_params`: every offending field.
        public var fields: [String]?
        /// For `internal`: the request id to quote when reporting the bug.
        public var requestId: String?

        enum CodingKeys: String, CodingKey {
            case type, reason, field, fields
            case requestId = "request_id"
        }
    }

    public var code: Int
    public var message: String
    public var data: Data

    public init(
        _ code: RPCErrorCode,
        _ message: String,
        reason: String? = nil,
        field: String? = nil,
        fields: [String]? = nil,
        requestId: String? = nil
    ) {
        self.code = code.code
        self.message = message
        self.data = Data(type: code.type, reason: reason, field: field, fields: fields, requestId: requestId)
    }

    public var type: String { data.type }

    public var description: String { "\(code) \(data.type): \(message)" }
}
