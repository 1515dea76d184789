import BillingCore

/// A price as `price_books.set_prices` and `price_plans.set` take it, for one service of a product.
/// Which of `unit_price`, `package_size` and `tiers` are needed follows the service's pricing model.
public struct PriceInput: Codable, Sendable, Equatable {
    public var productId: String
    public var serviceCode: String
    /// When given, it must be the currency of the book (or of the account, for a price plan).
    public var currency: String?
    public var unitPrice: Decimal6?
    /// For recurring services: monthly (default), quarterly, semiannual or annual.
    public var frequency: String?
    public var packageSize: Decimal6?
    public var includedQuantity: Decimal6?
    public var tiers: [PriceTier]?
    /// The first day the price applies; the tenant's today when omitted.
    public var effectiveFrom: CalendarDate?

    public init(
        productId: String, serviceCode: String, currency: String? = nil, unitPrice: Decimal6? = nil,
        frequency: String? = nil, packageSize: Decimal6? = nil, includedQuantity: Decimal6? = nil,
        tiers: [PriceTier]? = nil, effectiveFrom: CalendarDate? = nil
    ) {
        self.productId = productId
        self.serviceCode = serviceCode
        self.currency = currency
        self.unitPrice = unitPrice
        self.frequency = frequency
        self.packageSize = packageSize
        self.includedQuantity = includedQuantity
        self.tiers = tiers
        self.effectiveFrom = effectiveFrom
    }

    enum CodingKeys: String, CodingKey {
        case currency, frequency, tiers
        case productId = "product_id"
        case serviceCode = "service_code"
        case unitPrice = "unit_price"
        case packageSize = "package_size"
        case includedQuantity = "included_quantity"
        case effectiveFrom = "effective_from"
    }
}

/// One entry of a price book or of an account's price plan. Entries are never changed: a new price
/// is a new entry with a later `effective_from`, so the price on any past day stays readable.
public struct Price: Codable, Sendable, Equatable {
    public let id: String
    /// Set for a list price, null for a negotiated one.
    public let priceBookId: String?
    /// Set for a negotiated price (the account whose plan holds it), null for a list price.
    public let accountId: String?
    public let productId: String
    public let serviceCode: String
    public let currency: String
    public let pricingModel: String
    public let unitPrice: Decimal6?
    public let packageSize: Decimal6?
    public let includedQuantity: Decimal6
    public let frequency: String?
    public let tiers: [PriceTier]?
    public let effectiveFrom: CalendarDate
    public let createdAt: String

    public init(
        id: String, priceBookId: String?, accountId: String?, productId: String, serviceCode: String,
        currency: String, terms: PriceTerms, effectiveFrom: CalendarDate, createdAt: String
    ) {
        self.id = id
        self.priceBookId = priceBookId
        self.accountId = accountId
        self.productId = productId
        self.serviceCode = serviceCode
        self.currency = currency
        self.pricingModel = terms.model.name
        self.unitPrice = terms.model.unitPrice
        self.packageSize = terms.model.packageSize
        self.includedQuantity = terms.includedQuantity
        self.frequency = terms.frequency?.rawValue
        self.tiers = terms.model.tiers
        self.effectiveFrom = effectiveFrom
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, currency, frequency, tiers
        case priceBookId = "price_book_id"
        case accountId = "account_id"
        case productId = "product_id"
        case serviceCode = "service_code"
        case pricingModel = "pricing_model"
        case unitPrice = "unit_price"
        case packageSize = "package_size"
        case includedQuantity = "included_quantity"
        case effectiveFrom = "effective_from"
        case createdAt = "created_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(priceBookId, forKey: .priceBookId)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(productId, forKey: .productId)
        try container.encode(serviceCode, forKey: .serviceCode)
        try container.encode(currency, forKey: .currency)
        try container.encode(pricingModel, forKey: .pricingModel)
        try container.encode(unitPrice, forKey: .unitPrice)
        try container.encode(packageSize, forKey: .packageSize)
        try container.encode(includedQuantity, forKey: .includedQuantity)
        try container.encode(frequency, forKey: .frequency)
        try container.encode(tiers, forKey: .tiers)
        try container.encode(effectiveFrom, forKey: .effectiveFrom)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// `prices.lookup`: the one price lookup orders and quotes use, for partners to show a price
/// before they order.
public enum PricesLookup: RPCMethod {
    public static let name = "prices.lookup"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String
        public var productId: String
        public var serviceCode: String
        /// The day priced; the tenant's today when omitted.
        public var on: CalendarDate?
        /// The order's price book, if it names one.
        public var priceBookId: String?
        /// The order's currency; the account's when omitted.
        public var currency: String?
        /// When given, the result also prices this quantity.
        public var quantity: Decimal6?

        public init(
            accountId: String, productId: String, serviceCode: String, on: CalendarDate? = nil,
            priceBookId: String? = nil, currency: String? = nil, quantity: Decimal6? = nil
        ) {
            self.accountId = accountId
            self.productId = productId
            self.serviceCode = serviceCode
            self.on = on
            self.priceBookId = priceBookId
            self.currency = currency
            self.quantity = quantity
        }

        enum CodingKeys: String, CodingKey {
            case on, currency, quantity
            case accountId = "account_id"
            case productId = "product_id"
            case serviceCode = "service_code"
            case priceBookId = "price_book_id"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        /// price_plan | price_book | default_price_book
        public let source: String
        public let price: Price
        public let on: CalendarDate
        public let quantity: Decimal6?
        /// The charge for `quantity` in the price's currency, when a quantity was given.
        public let amount: String?

        public init(source: String, price: Price, on: CalendarDate, quantity: Decimal6?, amount: String?) {
            self.source = source
            self.price = price
            self.on = on
            self.quantity = quantity
            self.amount = amount
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(source, forKey: .source)
            try container.encode(price, forKey: .price)
            try container.encode(on, forKey: .on)
            try container.encode(quantity, forKey: .quantity)
            try container.encode(amount, forKey: .amount)
        }
    }
}
