/// A list of prices in one currency that orders and quotes price from.
public struct PriceBook: Codable, Sendable, Equatable {
    public let id: String
    public let externalId: String?
    public let name: String
    public let currency: String
    /// The book used when an order names none, for accounts of this currency.
    public let isDefault: Bool
    public let version: Int
    public let createdAt: String
    public let updatedAt: String

    public init(
        id: String, externalId: String?, name: String, currency: String, isDefault: Bool, version: Int,
        createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.externalId = externalId
        self.name = name
        self.currency = currency
        self.isDefault = isDefault
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, currency, version
        case externalId = "external_id"
        case isDefault = "is_default"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(externalId, forKey: .externalId)
        try container.encode(name, forKey: .name)
        try container.encode(currency, forKey: .currency)
        try container.encode(isDefault, forKey: .isDefault)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `price_books.create`: making a book the default takes that role from the currency's previous one.
public enum PriceBooksCreate: RPCMethod {
    public static let name = "price_books.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = PriceBook

    public struct Params: Codable, Sendable, Equatable {
        public var name: String
        public var currency: String
        public var isDefault: Bool?
        public var externalId: String?
        public var idempotencyKey: String?

        public init(
            name: String, currency: String, isDefault: Bool? = nil, externalId: String? = nil,
            idempotencyKey: String? = nil
        ) {
            self.name = name
            self.currency = currency
            self.isDefault = isDefault
            self.externalId = externalId
            self.idempotencyKey = idempotencyKey
        }

        enum CodingKeys: String, CodingKey {
            case name, currency
            case isDefault = "is_default"
            case externalId = "external_id"
            case idempotencyKey = "idempotency_key"
        }
    }
}

/// `price_books.get` by `id` or `external_id`.
public enum PriceBooksGet: RPCMethod {
    public static let name = "price_books.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ObjectReference
    public typealias Result = PriceBook
}

/// `price_books.list`, optionally of one currency.
public enum PriceBooksList: RPCMethod {
    public static let name = "price_books.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<PriceBook>

    public struct Params: Codable, Sendable, Equatable {
        public var currency: String?
        public var limit: Int?
        public var cursor: String?

        public init(currency: String? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.currency = currency
            self.limit = limit
            self.cursor = cursor
        }
    }
}

/// `price_books.update`: name, external_id, or becoming the default (a book stops being the default
/// only when another takes the role).
public enum PriceBooksUpdate: RPCMethod {
    public static let name = "price_books.update"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = PriceBook

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var expectedVersion: Int?
        public var name: String?
        public var isDefault: Bool?
        public var externalId: FieldUpdate<String> = .unchanged

        public init(id: String, expectedVersion: Int? = nil) {
            self.id = id
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case id, name
            case expectedVersion = "expected_version"
            case isDefault = "is_default"
            case externalId = "external_id"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            expectedVersion = try container.decodeIfPresent(Int.self, forKey: .expectedVersion)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            isDefault = try container.decodeIfPresent(Bool.self, forKey: .isDefault)
            externalId = try container.decodeUpdate(String.self, forKey: .externalId)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(expectedVersion, forKey: .expectedVersion)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encodeIfPresent(isDefault, forKey: .isDefault)
            try container.encode(externalId, forKey: .externalId)
        }
    }
}

/// `price_books.set_prices`: adds entries to the book's price history; an entry never replaces
/// another, and repeating an identical one changes nothing.
public enum PriceBooksSetPrices: RPCMethod {
    public static let name = "price_books.set_prices"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var priceBookId: String
        public var prices: [PriceInput]

        public init(priceBookId: String, prices: [PriceInput]) {
            self.priceBookId = priceBookId
            self.prices = prices
        }

        enum CodingKeys: String, CodingKey {
            case prices
            case priceBookId = "price_book_id"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let priceBookId: String
        public let prices: [Price]

        public init(priceBookId: String, prices: [Price]) {
            self.priceBookId = priceBookId
            self.prices = prices
        }

        enum CodingKeys: String, CodingKey {
            case prices
            case priceBookId = "price_book_id"
        }
    }
}

/// `price_books.list_prices`: a book's entries, history included, in creation order.
public enum PriceBooksListPrices: RPCMethod {
    public static let name = "price_books.list_prices"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Price>

    public struct Params: Codable, Sendable, Equatable {
        public var priceBookId: String
        public var productId: String?
        public var limit: Int?
        public var cursor: String?

        public init(priceBookId: String, productId: String? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.priceBookId = priceBookId
            self.productId = productId
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case limit, cursor
            case priceBookId = "price_book_id"
            case productId = "product_id"
        }
    }
}
