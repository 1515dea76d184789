/// `ping`: liveness, allowed before hello.
public enum Ping: RPCMethod {
    public static let name = "ping"
    public static let access = MethodAccess.anyone
    public typealias Params = NoParams

    public struct Result: Codable, Sendable, Equatable {
        public let pong: Bool

        public init(pong: Bool) {
            self.pong = pong
        }
    }
}

/// `hello`: the first request of a session, with a tenant's API key and secret or the operator token.
public enum Hello: RPCMethod {
    public static let name = "hello"
    public static let access = MethodAccess.anyone

    public struct Params: Codable, Sendable, Equatable {
        public var apiKey: String?
        public var apiSecret: String?
        public var operatorToken: String?
        /// The partner's software and version, for the server's logs.
        public var client: String?

        public init(
            apiKey: String? = nil, apiSecret: String? = nil, operatorToken: String? = nil, client: String? = nil
        ) {
            self.apiKey = apiKey
            self.apiSecret = apiSecret
            self.operatorToken = operatorToken
            self.client = client
        }

        enum CodingKeys: String, CodingKey {
            case apiKey = "api_key"
            case apiSecret = "api_secret"
            case operatorToken = "operator_token"
            case client
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        /// The tenant the session acts for; nil for the operator.
        public let tenantId: String?
        public let role: String
        public let `protocol`: Int
        public let server: String

        public init(tenantId: String?, role: String, protocol: Int, server: String) {
            self.tenantId = tenantId
            self.role = role
            self.protocol = `protocol`
            self.server = server
        }

        enum CodingKeys: String, CodingKey {
            case tenantId = "tenant_id"
            case role, `protocol`, server
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tenantId, forKey: .tenantId)
            try container.encode(role, forKey: .role)
            try container.encode(`protocol`, forKey: .protocol)
            try container.encode(server, forKey: .server)
        }
    }
}

/// `health`: whether this process can serve requests (its database answers), allowed before hello,
/// for load balancers and partners' monitors.
public enum Health: RPCMethod {
    public static let name = "health"
    public static let access = MethodAccess.anyone
    public typealias Params = NoParams

    public struct Result: Codable, Sendable, Equatable {
        /// `ok`, or `degraded` when the database does not answer.
        public let status: String
        /// `ok` or `unreachable`.
        public let database: String

        public init(status: String, database: String) {
            self.status = status
            self.database = database
        }
    }
}
