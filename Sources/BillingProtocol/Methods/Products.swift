/// A billable part of a product.
public struct ProductService: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    /// recurring | one_time | usage
    public var kind: String
    /// The tax category VAT rates are chosen by; `standard` when omitted.
    public var taxCategory: String?
    public var unit: String?
    /// per_unit (default) | package | volume | graduated
    public var pricingModel: String?

    public init(
        code: String, name: String, kind: String, taxCategory: String? = nil, unit: String? = nil,
        pricingModel: String? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.taxCategory = taxCategory
        self.unit = unit
        self.pricingModel = pricingModel
    }

    enum CodingKeys: String, CodingKey {
        case code, name, kind, unit
        case taxCategory = "tax_category"
        case pricingModel = "pricing_model"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(taxCategory, forKey: .taxCategory)
        try container.encode(unit, forKey: .unit)
        try container.encode(pricingModel, forKey: .pricingModel)
    }
}

/// A product of the catalog.
public struct Product: Codable, Sendable, Equatable {
    public let id: String
    public let externalId: String?
    public let code: String
    public let name: String
    public let services: [ProductService]
    public let version: Int
    public let createdAt: String
    public let updatedAt: String

    public init(
        id: String, externalId: String?, code: String, name: String, services: [ProductService], version: Int,
        createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.externalId = externalId
        self.code = code
        self.name = name
        self.services = services
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, code, name, services, version
        case externalId = "external_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(externalId, forKey: .externalId)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(services, forKey: .services)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// What `products.create` and `products.upsert` take.
public struct ProductInput: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var externalId: String?
    public var services: [ProductService]
    public var idempotencyKey: String?

    public init(
        code: String, name: String, externalId: String? = nil, services: [ProductService],
        idempotencyKey: String? = nil
    ) {
        self.code = code
        self.name = name
        self.externalId = externalId
        self.services = services
        self.idempotencyKey = idempotencyKey
    }

    enum CodingKeys: String, CodingKey {
        case code, name, services
        case externalId = "external_id"
        case idempotencyKey = "idempotency_key"
    }
}

/// `products.create`.
public enum ProductsCreate: RPCMethod {
    public static let name = "products.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ProductInput
    public typealias Result = Product
}

/// `products.upsert` by `external_id`: the product becomes exactly the input, services included.
public enum ProductsUpsert: RPCMethod {
    public static let name = "products.upsert"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ProductInput

    public struct Result: Codable, Sendable, Equatable {
        public let product: Product
        public let created: Bool

        public init(product: Product, created: Bool) {
            self.product = product
            self.created = created
        }
    }
}

/// `products.get` by `id` or `external_id`.
public enum ProductsGet: RPCMethod {
    public static let name = "products.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ObjectReference
    public typealias Result = Product
}

/// `products.list` in creation order.
public enum ProductsList: RPCMethod {
    public static let name = "products.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = PageRequest
    public typealias Result = Page<Product>
}

/// `products.update`: name, code, external_id, or the whole list of services.
public enum ProductsUpdate: RPCMethod {
    public static let name = "products.update"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Product

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var expectedVersion: Int?
        public var code: String?
        public var name: String?
        public var externalId: FieldUpdate<String> = .unchanged
        public var services: [ProductService]?

        public init(id: String, expectedVersion: Int? = nil) {
            self.id = id
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case id, code, name, services
            case expectedVersion = "expected_version"
            case externalId = "external_id"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            expectedVersion = try container.decodeIfPresent(Int.self, forKey: .expectedVersion)
            code = try container.decodeIfPresent(String.self, forKey: .code)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            externalId = try container.decodeUpdate(String.self, forKey: .externalId)
            services = try container.decodeIfPresent([ProductService].self, forKey: .services)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(expectedVersion, forKey: .expectedVersion)
            try container.encodeIfPresent(code, forKey: .code)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encode(externalId, forKey: .externalId)
            try container.encodeIfPresent(services, forKey: .services)
        }
    }
}
