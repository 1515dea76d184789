import BillingCore

/// An account's negotiated prices: every later order of the account, and of the accounts under it
/// that have no price of their own, is priced from them.
public struct PricePlan: Codable, Sendable, Equatable {
    public let accountId: String
    public let prices: [Price]

    public init(accountId: String, prices: [Price]) {
        self.accountId = accountId
        self.prices = prices
    }

    enum CodingKeys: String, CodingKey {
        case prices
        case accountId = "account_id"
    }
}

/// `price_plans.set`: adds negotiated prices to the account's plan, in the account's currency.
public enum PricePlansSet: RPCMethod {
    public static let name = "price_plans.set"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = PricePlan

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String
        public var prices: [PriceInput]

        public init(accountId: String, prices: [PriceInput]) {
            self.accountId = accountId
            self.prices = prices
        }

        enum CodingKeys: String, CodingKey {
            case prices
            case accountId = "account_id"
        }
    }
}

/// `price_plans.get`: the negotiated prices that apply to the account on a day, its own or
/// inherited from the accounts above it (`account_id` of each price says whose).
public enum PricePlansGet: RPCMethod {
    public static let name = "price_plans.get"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String
        /// The tenant's today when omitted.
        public var on: CalendarDate?

        public init(accountId: String, on: CalendarDate? = nil) {
            self.accountId = accountId
            self.on = on
        }

        enum CodingKeys: String, CodingKey {
            case on
            case accountId = "account_id"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let accountId: String
        public let on: CalendarDate
        public let prices: [Price]

        public init(accountId: String, on: CalendarDate, prices: [Price]) {
            self.accountId = accountId
            self.on = on
            self.prices = prices
        }

        enum CodingKeys: String, CodingKey {
            case on, prices
            case accountId = "account_id"
        }
    }
}

/// `price_plans.list`: the entries of accounts' plans, history included, in creation order.
public enum PricePlansList: RPCMethod {
    public static let name = "price_plans.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Price>

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String?
        public var productId: String?
        public var limit: Int?
        public var cursor: String?

        public init(accountId: String? = nil, productId: String? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.accountId = accountId
            self.productId = productId
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case limit, cursor
            case accountId = "account_id"
            case productId = "product_id"
        }
    }
}
