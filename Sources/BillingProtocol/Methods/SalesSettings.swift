import BillingCore

/// A stage of the tenant's sales process and what reaching it means.
public struct SalesStage: Codable, Sendable, Equatable {
    public var name: String
    /// open | won | lost
    public var outcome: String

    public init(name: String, outcome: String) {
        self.name = name
        self.outcome = outcome
    }
}

/// How a tenant sells: its stages, whether winning makes the order, and how renewals are made.
public struct SalesSettings: Codable, Sendable, Equatable {
    public var stages: [SalesStage]
    public var createOrderOnWon: Bool
    /// Days before an order ends that its renewal opportunity is made (BILLING.md §11).
    public var renewalLeadDays: Int
    /// same | list | uplift
    public var renewalPricing: String
    /// The uplift in percent, with `uplift` pricing.
    public var renewalUpliftPercent: Decimal6?
    /// Whether a renewal comes with a draft quote.
    public var renewalAutoQuote: Bool
    /// Days a quote is valid when it names no expiry.
    public var quoteValidityDays: Int
    public var version: Int

    public init(
        stages: [SalesStage], createOrderOnWon: Bool, renewalLeadDays: Int, renewalPricing: String,
        renewalUpliftPercent: Decimal6?, renewalAutoQuote: Bool, quoteValidityDays: Int, version: Int
    ) {
        self.stages = stages
        self.createOrderOnWon = createOrderOnWon
        self.renewalLeadDays = renewalLeadDays
        self.renewalPricing = renewalPricing
        self.renewalUpliftPercent = renewalUpliftPercent
        self.renewalAutoQuote = renewalAutoQuote
        self.quoteValidityDays = quoteValidityDays
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case stages, version
        case createOrderOnWon = "create_order_on_won"
        case renewalLeadDays = "renewal_lead_days"
        case renewalPricing = "renewal_pricing"
        case renewalUpliftPercent = "renewal_uplift_percent"
        case renewalAutoQuote = "renewal_auto_quote"
        case quoteValidityDays = "quote_validity_days"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stages, forKey: .stages)
        try container.encode(createOrderOnWon, forKey: .createOrderOnWon)
        try container.encode(renewalLeadDays, forKey: .renewalLeadDays)
        try container.encode(renewalPricing, forKey: .renewalPricing)
        try container.encode(renewalUpliftPercent, forKey: .renewalUpliftPercent)
        try container.encode(renewalAutoQuote, forKey: .renewalAutoQuote)
        try container.encode(quoteValidityDays, forKey: .quoteValidityDays)
        try container.encode(version, forKey: .version)
    }
}

/// `sales_settings.get`.
public enum SalesSettingsGet: RPCMethod {
    public static let name = "sales_settings.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = NoParams
    public typealias Result = SalesSettings
}

/// `sales_settings.update`: only the fields given change.
public enum SalesSettingsUpdate: RPCMethod {
    public static let name = "sales_settings.update"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = SalesSettings

    public struct Params: Codable, Sendable, Equatable {
        public var stages: [SalesStage]?
        public var createOrderOnWon: Bool?
        public var renewalLeadDays: Int?
        public var renewalPricing: String?
        public var renewalUpliftPercent: Decimal6?
        public var renewalAutoQuote: Bool?
        public var quoteValidityDays: Int?
        public var expectedVersion: Int?

        public init(
            stages: [SalesStage]? = nil, createOrderOnWon: Bool? = nil, renewalLeadDays: Int? = nil,
            renewalPricing: String? = nil, renewalUpliftPercent: Decimal6? = nil, renewalAutoQuote: Bool? = nil,
            quoteValidityDays: Int? = nil, expectedVersion: Int? = nil
        ) {
            self.stages = stages
            self.createOrderOnWon = createOrderOnWon
            self.renewalLeadDays = renewalLeadDays
            self.renewalPricing = renewalPricing
            self.renewalUpliftPercent = renewalUpliftPercent
            self.renewalAutoQuote = renewalAutoQuote
            self.quoteValidityDays = quoteValidityDays
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case stages
            case createOrderOnWon = "create_order_on_won"
            case renewalLeadDays = "renewal_lead_days"
            case renewalPricing = "renewal_pricing"
            case renewalUpliftPercent = "renewal_uplift_percent"
            case renewalAutoQuote = "renewal_auto_quote"
            case quoteValidityDays = "quote_validity_days"
            case expectedVersion = "expected_version"
        }
    }
}

/// `renewals.scan`: makes the renewal opportunities due on `as_of` (today when omitted), as the
/// daily job does; running it again makes none twice.
public enum RenewalsScan: RPCMethod {
    public static let name = "renewals.scan"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var asOf: CalendarDate?

        public init(asOf: CalendarDate? = nil) {
            self.asOf = asOf
        }

        enum CodingKeys: String, CodingKey {
            case asOf = "as_of"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        /// The renewal opportunities this scan made.
        public let opportunityIds: [String]
        /// The quotes made with them (auto quote).
        public let quoteIds: [String]

        public init(opportunityIds: [String], quoteIds: [String]) {
            self.opportunityIds = opportunityIds
            self.quoteIds = quoteIds
        }

        enum CodingKeys: String, CodingKey {
            case opportunityIds = "opportunity_ids"
            case quoteIds = "quote_ids"
        }
    }
}
