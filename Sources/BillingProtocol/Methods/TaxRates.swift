import BillingCore

/// A VAT rate of one country and tax category, valid over a range of days.
public struct TaxRate: Codable, Sendable, Equatable {
    public let id: String
    public let name: String?
    public let country: String
    public let taxCategory: String
    /// In percent: "20" for 20%.
    public let rate: Decimal6
    /// 0 for a plain rate; a higher priority is compound (taxes the net plus lower priorities' taxes).
    public let priority: Int
    public let validFrom: CalendarDate
    public let validTo: CalendarDate?
    public let version: Int
    public let createdAt: String
    public let updatedAt: String

    public init(
        id: String, name: String?, country: String, taxCategory: String, rate: Decimal6, priority: Int,
        validFrom: CalendarDate, validTo: CalendarDate?, version: Int, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.name = name
        self.country = country
        self.taxCategory = taxCategory
        self.rate = rate
        self.priority = priority
        self.validFrom = validFrom
        self.validTo = validTo
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, country, rate, priority, version
        case taxCategory = "tax_category"
        case validFrom = "valid_from"
        case validTo = "valid_to"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(country, forKey: .country)
        try container.encode(taxCategory, forKey: .taxCategory)
        try container.encode(rate, forKey: .rate)
        try container.encode(priority, forKey: .priority)
        try container.encode(validFrom, forKey: .validFrom)
        try container.encode(validTo, forKey: .validTo)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `tax_rates.create`.
public enum TaxRatesCreate: RPCMethod {
    public static let name = "tax_rates.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = TaxRate

    public struct Params: Codable, Sendable, Equatable {
        public var country: String
        public var taxCategory: String
        public var rate: Decimal6
        public var priority: Int?
        public var validFrom: CalendarDate
        public var validTo: CalendarDate?
        public var name: String?
        public var idempotencyKey: String?

        public init(
            country: String, taxCategory: String, rate: Decimal6, priority: Int? = nil, validFrom: CalendarDate,
            validTo: CalendarDate? = nil, name: String? = nil, idempotencyKey: String? = nil
        ) {
            self.country = country
            self.taxCategory = taxCategory
            self.rate = rate
            self.priority = priority
            self.validFrom = validFrom
            self.validTo = validTo
            self.name = name
            self.idempotencyKey = idempotencyKey
        }

        enum CodingKeys: String, CodingKey {
            case country, rate, priority, name
            case taxCategory = "tax_category"
            case validFrom = "valid_from"
            case validTo = "valid_to"
            case idempotencyKey = "idempotency_key"
        }
    }
}

/// `tax_rates.list`, optionally of one country, category, or in effect on a day; in creation order.
public enum TaxRatesList: RPCMethod {
    public static let name = "tax_rates.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<TaxRate>

    public struct Params: Codable, Sendable, Equatable {
        public var country: String?
        public var taxCategory: String?
        public var on: CalendarDate?
        public var limit: Int?
        public var cursor: String?

        public init(
            country: String? = nil, taxCategory: String? = nil, on: CalendarDate? = nil, limit: Int? = nil,
            cursor: String? = nil
        ) {
            self.country = country
            self.taxCategory = taxCategory
            self.on = on
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case country, on, limit, cursor
            case taxCategory = "tax_category"
        }
    }
}

/// `tax_rates.update`: the name, or the last day the rate applies (a rate that changes ends, and a
/// new one starts the day after; the percentage of a rate never changes).
public enum TaxRatesUpdate: RPCMethod {
    public static let name = "tax_rates.update"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = TaxRate

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var expectedVersion: Int?
        public var name: FieldUpdate<String> = .unchanged
        public var validTo: FieldUpdate<CalendarDate> = .unchanged

        public init(id: String, expectedVersion: Int? = nil) {
            self.id = id
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case id, name
            case expectedVersion = "expected_version"
            case validTo = "valid_to"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            expectedVersion = try container.decodeIfPresent(Int.self, forKey: .expectedVersion)
            name = try container.decodeUpdate(String.self, forKey: .name)
            validTo = try container.decodeUpdate(CalendarDate.self, forKey: .validTo)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(expectedVersion, forKey: .expectedVersion)
            try container.encode(name, forKey: .name)
            try container.encode(validTo, forKey: .validTo)
        }
    }
}
