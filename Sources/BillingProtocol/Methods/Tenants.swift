/// The company that issues a tenant's documents.
public struct LegalEntity: Codable, Sendable, Equatable {
    public var name: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var vatNumber: String?
    /// The postal address documents print.
    public var address: Address?

    public init(name: String, country: String, vatNumber: String? = nil, address: Address? = nil) {
        self.name = name
        self.country = country
        self.vatNumber = vatNumber
        self.address = address
    }

    enum CodingKeys: String, CodingKey {
        case name, country, address
        case vatNumber = "vat_number"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(country, forKey: .country)
        try container.encode(vatNumber, forKey: .vatNumber)
        try container.encode(address, forKey: .address)
    }
}

/// A tenant: one company sharing the deployment.
public struct Tenant: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let defaultCurrency: String
    public let timezone: String
    public let legalEntity: LegalEntity
    public let version: Int
    public let createdAt: String
    public let updatedAt: String

    public init(
        id: String,
        name: String,
        defaultCurrency: String,
        timezone: String,
        legalEntity: LegalEntity,
        version: Int,
        createdAt: String,
        updatedAt: String
    ) {
        self.id = id
        self.name = name
        self.defaultCurrency = defaultCurrency
        self.timezone = timezone
        self.legalEntity = legalEntity
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, timezone, version
        case defaultCurrency = "default_currency"
        case legalEntity = "legal_entity"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A tenant's API key with its secret, which is shown this once and stored only as a salted hash.
public struct ApiCredentials: Codable, Sendable, Equatable {
    public let tenantId: String
    public let apiKey: String
    public let apiSecret: String

    public init(tenantId: String, apiKey: String, apiSecret: String) {
        self.tenantId = tenantId
        self.apiKey = apiKey
        self.apiSecret = apiSecret
    }

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id"
        case apiKey = "api_key"
        case apiSecret = "api_secret"
    }
}

/// `tenants.create` (operator): a tenant and its first API key.
public enum TenantsCreate: RPCMethod {
    public static let name = "tenants.create"
    public static let access = MethodAccess.operatorOnly

    public struct Params: Codable, Sendable, Equatable {
        public var name: String
        public var defaultCurrency: String
        /// IANA time zone; UTC when omitted.
        public var timezone: String?
        public var legalEntity: LegalEntity

        public init(name: String, defaultCurrency: String, timezone: String? = nil, legalEntity: LegalEntity) {
            self.name = name
            self.defaultCurrency = defaultCurrency
            self.timezone = timezone
            self.legalEntity = legalEntity
        }

        enum CodingKeys: String, CodingKey {
            case name, timezone
            case defaultCurrency = "default_currency"
            case legalEntity = "legal_entity"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let tenant: Tenant
        public let apiKey: String
        public let apiSecret: String

        public init(tenant: Tenant, apiKey: String, apiSecret: String) {
            self.tenant = tenant
            self.apiKey = apiKey
            self.apiSecret = apiSecret
        }

        enum CodingKeys: String, CodingKey {
            case tenant
            case apiKey = "api_key"
            case apiSecret = "api_secret"
        }
    }
}

/// `tenants.list` (operator).
public enum TenantsList: RPCMethod {
    public static let name = "tenants.list"
    public static let access = MethodAccess.operatorOnly
    public typealias Params = PageRequest
    public typealias Result = Page<Tenant>
}

/// `api_keys.create` (operator): another key for a tenant, e.g. to rotate keys without downtime.
public enum ApiKeysCreate: RPCMethod {
    public static let name = "api_keys.create"
    public static let access = MethodAccess.operatorOnly

    public struct Params: Codable, Sendable, Equatable {
        public var tenantId: String

        public init(tenantId: String) {
            self.tenantId = tenantId
        }

        enum CodingKeys: String, CodingKey {
            case tenantId = "tenant_id"
        }
    }

    public typealias Result = ApiCredentials
}

/// `api_keys.revoke` (operator): every later hello with the key is refused; sessions already open
/// keep working until they reconnect.
public enum ApiKeysRevoke: RPCMethod {
    public static let name = "api_keys.revoke"
    public static let access = MethodAccess.operatorOnly

    public struct Params: Codable, Sendable, Equatable {
        public var apiKey: String

        public init(apiKey: String) {
            self.apiKey = apiKey
        }

        enum CodingKeys: String, CodingKey {
            case apiKey = "api_key"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let apiKey: String
        public let revokedAt: String

        public init(apiKey: String, revokedAt: String) {
            self.apiKey = apiKey
            self.revokedAt = revokedAt
        }

        enum CodingKeys: String, CodingKey {
            case apiKey = "api_key"
            case revokedAt = "revoked_at"
        }
    }
}
