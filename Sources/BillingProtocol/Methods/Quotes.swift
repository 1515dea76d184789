import BillingCore

/// A line of a quote: an opportunity line item as it was when the quote was made.
public struct QuoteLine: Codable, Sendable, Equatable {
    public let productId: String
    public let serviceCode: String
    public let description: String
    public let billingProcessId: String
    public let quantity: Decimal6
    public let pricingModel: String
    public let unitPrice: Decimal6?
    public let packageSize: Decimal6?
    public let includedQuantity: Decimal6
    public let tiers: [PriceTier]?
    public let discountPercent: Decimal6
    /// Net, with the currency's decimals.
    public let amount: String
    public let taxCategory: String
    public let startDate: CalendarDate?
    public let endDate: CalendarDate?

    public init(
        productId: String, serviceCode: String, description: String, billingProcessId: String, quantity: Decimal6,
        terms: PriceTerms, discountPercent: Decimal6, amount: String, taxCategory: String, startDate: CalendarDate?,
        endDate: CalendarDate?
    ) {
        self.productId = productId
        self.serviceCode = serviceCode
        self.description = description
        self.billingProcessId = billingProcessId
        self.quantity = quantity
        self.pricingModel = terms.model.name
        self.unitPrice = terms.model.unitPrice
        self.packageSize = terms.model.packageSize
        self.includedQuantity = terms.includedQuantity
        self.tiers = terms.model.tiers
        self.discountPercent = discountPercent
        self.amount = amount
        self.taxCategory = taxCategory
        self.startDate = startDate
        self.endDate = endDate
    }

    enum CodingKeys: String, CodingKey {
        case description, quantity, tiers, amount
        case productId = "product_id"
        case serviceCode = "service_code"
        case billingProcessId = "billing_process_id"
        case pricingModel = "pricing_model"
        case unitPrice = "unit_price"
        case packageSize = "package_size"
        case includedQuantity = "included_quantity"
        case discountPercent = "discount_percent"
        case taxCategory = "tax_category"
        case startDate = "start_date"
        case endDate = "end_date"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(productId, forKey: .productId)
        try container.encode(serviceCode, forKey: .serviceCode)
        try container.encode(description, forKey: .description)
        try container.encode(billingProcessId, forKey: .billingProcessId)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(pricingModel, forKey: .pricingModel)
        try container.encode(unitPrice, forKey: .unitPrice)
        try container.encode(packageSize, forKey: .packageSize)
        try container.encode(includedQuantity, forKey: .includedQuantity)
        try container.encode(tiers, forKey: .tiers)
        try container.encode(discountPercent, forKey: .discountPercent)
        try container.encode(amount, forKey: .amount)
        try container.encode(taxCategory, forKey: .taxCategory)
        try container.encode(startDate, forKey: .startDate)
        try container.encode(endDate, forKey: .endDate)
    }
}

/// A priced offer made from an opportunity: its lines, totals and estimated tax, frozen.
public struct Quote: Codable, Sendable, Equatable {
    public let id: String
    public let opportunityId: String
    public let accountId: String
    public let currency: String
    /// draft | sent | accepted | rejected | expired (draft or sent past `expires_on`)
    public let status: String
    public let expiresOn: CalendarDate
    /// The date the tax is estimated for: the order's start.
    public let taxDate: CalendarDate
    public let lines: [QuoteLine]
    public let subtotal: String
    public let taxTotal: String
    public let total: String
    public let taxBreakdown: [TaxBreakdownRow]
    public let notes: [String]
    public let rejectionReason: String?
    /// The order accepting it created.
    public let orderId: String?
    public let version: Int
    public let createdAt: String
    public let updatedAt: String
    public let sentAt: String?
    public let decidedAt: String?

    public init(
        id: String, opportunityId: String, accountId: String, currency: String, status: String,
        expiresOn: CalendarDate, taxDate: CalendarDate, lines: [QuoteLine], subtotal: String, taxTotal: String,
        total: String, taxBreakdown: [TaxBreakdownRow], notes: [String], rejectionReason: String?, orderId: String?,
        version: Int, createdAt: String, updatedAt: String, sentAt: String?, decidedAt: String?
    ) {
        self.id = id
        self.opportunityId = opportunityId
        self.accountId = accountId
        self.currency = currency
        self.status = status
        self.expiresOn = expiresOn
        self.taxDate = taxDate
        self.lines = lines
        self.subtotal = subtotal
        self.taxTotal = taxTotal
        self.total = total
        self.taxBreakdown = taxBreakdown
        self.notes = notes
        self.rejectionReason = rejectionReason
        self.orderId = orderId
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.sentAt = sentAt
        self.decidedAt = decidedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, currency, status, lines, subtotal, total, notes, version
        case opportunityId = "opportunity_id"
        case accountId = "account_id"
        case expiresOn = "expires_on"
        case taxDate = "tax_date"
        case taxTotal = "tax_total"
        case taxBreakdown = "tax_breakdown"
        case rejectionReason = "rejection_reason"
        case orderId = "order_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case sentAt = "sent_at"
        case decidedAt = "decided_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(opportunityId, forKey: .opportunityId)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(currency, forKey: .currency)
        try container.encode(status, forKey: .status)
        try container.encode(expiresOn, forKey: .expiresOn)
        try container.encode(taxDate, forKey: .taxDate)
        try container.encode(lines, forKey: .lines)
        try container.encode(subtotal, forKey: .subtotal)
        try container.encode(taxTotal, forKey: .taxTotal)
        try container.encode(total, forKey: .total)
        try container.encode(taxBreakdown, forKey: .taxBreakdown)
        try container.encode(notes, forKey: .notes)
        try container.encode(rejectionReason, forKey: .rejectionReason)
        try container.encode(orderId, forKey: .orderId)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(sentAt, forKey: .sentAt)
        try container.encode(decidedAt, forKey: .decidedAt)
    }
}

/// `quotes.create`: snapshots the opportunity's line items with totals and estimated tax.
public enum QuotesCreate: RPCMethod {
    public static let name = "quotes.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Quote

    public struct Params: Codable, Sendable, Equatable {
        public var opportunityId: String
        /// Today plus the tenant's quote validity when omitted.
        public var expiresOn: CalendarDate?
        public var idempotencyKey: String?

        public init(opportunityId: String, expiresOn: CalendarDate? = nil, idempotencyKey: String? = nil) {
            self.opportunityId = opportunityId
            self.expiresOn = expiresOn
            self.idempotencyKey = idempotencyKey
        }

        enum CodingKeys: String, CodingKey {
            case opportunityId = "opportunity_id"
            case expiresOn = "expires_on"
            case idempotencyKey = "idempotency_key"
        }
    }
}

/// `quotes.get` by id.
public enum QuotesGet: RPCMethod {
    public static let name = "quotes.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy
    public typealias Result = Quote
}

/// `quotes.list`, optionally of one opportunity or in one status.
public enum QuotesList: RPCMethod {
    public static let name = "quotes.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Quote>

    public struct Params: Codable, Sendable, Equatable {
        public var opportunityId: String?
        public var status: String?
        public var limit: Int?
        public var cursor: String?

        public init(opportunityId: String? = nil, status: String? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.opportunityId = opportunityId
            self.status = status
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case status, limit, cursor
            case opportunityId = "opportunity_id"
        }
    }
}

/// `quotes.send`: a draft quote goes to the customer.
public enum QuotesSend: RPCMethod {
    public static let name = "quotes.send"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy
    public typealias Result = Quote
}

/// `quotes.accept`: the customer took it; its lines become the order, once, and the opportunity
/// is won.
public enum QuotesAccept: RPCMethod {
    public static let name = "quotes.accept"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy
    public typealias Result = Quote
}

/// `quotes.reject`: the customer declined it.
public enum QuotesReject: RPCMethod {
    public static let name = "quotes.reject"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Quote

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var reason: String?

        public init(id: String, reason: String? = nil) {
            self.id = id
            self.reason = reason
        }
    }
}
