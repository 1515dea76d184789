import BillingCore

/// A line item to put on an opportunity: a product service, its quantity, its price (looked up in
/// the catalog unless given) and a discount.
public struct OpportunityItemInput: Codable, Sendable, Equatable {
    public var productId: String
    /// Needed when the product has more than one service.
    public var serviceCode: String?
    public var quantity: Decimal6
    /// Overrides the catalog price (per unit, for one period of the billing process).
    public var unitPrice: Decimal6?
    /// Percent off the line, 0–100 with at most two decimals.
    public var discountPercent: Decimal6?
    /// How the order will bill the item.
    public var billingProcessId: String
    /// The opportunity's start (end) when omitted.
    public var startDate: CalendarDate?
    public var endDate: CalendarDate?

    public init(
        productId: String, serviceCode: String? = nil, quantity: Decimal6, unitPrice: Decimal6? = nil,
        discountPercent: Decimal6? = nil, billingProcessId: String, startDate: CalendarDate? = nil,
        endDate: CalendarDate? = nil
    ) {
        self.productId = productId
        self.serviceCode = serviceCode
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discountPercent = discountPercent
        self.billingProcessId = billingProcessId
        self.startDate = startDate
        self.endDate = endDate
    }

    enum CodingKeys: String, CodingKey {
        case quantity
        case productId = "product_id"
        case serviceCode = "service_code"
        case unitPrice = "unit_price"
        case discountPercent = "discount_percent"
        case billingProcessId = "billing_process_id"
        case startDate = "start_date"
        case endDate = "end_date"
    }
}

/// One of a line's two schedules as requested: how the value spreads, how often, how many times,
/// from when.
public struct ScheduleSpreadInput: Codable, Sendable, Equatable {
    /// divide | repeat
    public var mode: String
    /// daily | weekly | monthly | quarterly | yearly
    public var period: String
    /// 1–150.
    public var installments: Int
    /// The line's (else the opportunity's) start when omitted.
    public var startDate: CalendarDate?
    /// Quantity schedules: the quantity to divide, or each installment's (the line's when omitted).
    public var quantity: Decimal6?
    /// Revenue schedules: the amount to divide, or each installment's (the line's when omitted).
    public var amount: Decimal6?

    public init(
        mode: String, period: String, installments: Int, startDate: CalendarDate? = nil, quantity: Decimal6? = nil,
        amount: Decimal6? = nil
    ) {
        self.mode = mode
        self.period = period
        self.installments = installments
        self.startDate = startDate
        self.quantity = quantity
        self.amount = amount
    }

    enum CodingKeys: String, CodingKey {
        case mode, period, installments, quantity, amount
        case startDate = "start_date"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mode, forKey: .mode)
        try container.encode(period, forKey: .period)
        try container.encode(installments, forKey: .installments)
        try container.encode(startDate, forKey: .startDate)
        try container.encodeIfPresent(quantity, forKey: .quantity)
        try container.encodeIfPresent(amount, forKey: .amount)
    }
}

/// A dated installment of a product schedule.
public struct ScheduleInstallment: Codable, Sendable, Equatable {
    public let date: CalendarDate
    /// Under a quantity schedule, with two decimals.
    public let quantity: String?
    /// Under a revenue schedule, with the currency's decimals.
    public let revenue: String?

    public init(date: CalendarDate, quantity: String?, revenue: String?) {
        self.date = date
        self.quantity = quantity
        self.revenue = revenue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(date, forKey: .date)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(revenue, forKey: .revenue)
    }

    enum CodingKeys: String, CodingKey {
        case date, quantity, revenue
    }
}

/// A line item's product schedule (BILLING.md §6).
public struct ProductScheduleInfo: Codable, Sendable, Equatable {
    /// quantity | revenue | both
    public let type: String
    public let quantitySchedule: ScheduleSpreadInput?
    public let revenueSchedule: ScheduleSpreadInput?
    public let installments: [ScheduleInstallment]

    public init(
        type: String, quantitySchedule: ScheduleSpreadInput?, revenueSchedule: ScheduleSpreadInput?,
        installments: [ScheduleInstallment]
    ) {
        self.type = type
        self.quantitySchedule = quantitySchedule
        self.revenueSchedule = revenueSchedule
        self.installments = installments
    }

    enum CodingKeys: String, CodingKey {
        case type, installments
        case quantitySchedule = "quantity_schedule"
        case revenueSchedule = "revenue_schedule"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(quantitySchedule, forKey: .quantitySchedule)
        try container.encode(revenueSchedule, forKey: .revenueSchedule)
        try container.encode(installments, forKey: .installments)
    }
}

/// A line item of an opportunity, with its price as looked up (or overridden) and its total.
public struct OpportunityItem: Codable, Sendable, Equatable {
    public let id: String
    public let productId: String
    public let serviceCode: String
    public let billingProcessId: String
    public let quantity: Decimal6
    public let pricingModel: String
    public let unitPrice: Decimal6?
    public let packageSize: Decimal6?
    public let includedQuantity: Decimal6
    public let tiers: [PriceTier]?
    /// explicit | price_plan | price_book | default_price_book
    public let priceSource: String
    public let priceId: String?
    public let discountPercent: Decimal6
    /// The line's total with the currency's decimals: the discounted price of its quantity, or
    /// its revenue schedule's sum.
    public let amount: String
    public let startDate: CalendarDate?
    public let endDate: CalendarDate?
    public let schedule: ProductScheduleInfo?

    public init(
        id: String, productId: String, serviceCode: String, billingProcessId: String, quantity: Decimal6,
        terms: PriceTerms, priceSource: String, priceId: String?, discountPercent: Decimal6, amount: String,
        startDate: CalendarDate?, endDate: CalendarDate?, schedule: ProductScheduleInfo?
    ) {
        self.id = id
        self.productId = productId
        self.serviceCode = serviceCode
        self.billingProcessId = billingProcessId
        self.quantity = quantity
        self.pricingModel = terms.model.name
        self.unitPrice = terms.model.unitPrice
        self.packageSize = terms.model.packageSize
        self.includedQuantity = terms.includedQuantity
        self.tiers = terms.model.tiers
        self.priceSource = priceSource
        self.priceId = priceId
        self.discountPercent = discountPercent
        self.amount = amount
        self.startDate = startDate
        self.endDate = endDate
        self.schedule = schedule
    }

    enum CodingKeys: String, CodingKey {
        case id, quantity, tiers, amount, schedule
        case productId = "product_id"
        case serviceCode = "service_code"
        case billingProcessId = "billing_process_id"
        case pricingModel = "pricing_model"
        case unitPrice = "unit_price"
        case packageSize = "package_size"
        case includedQuantity = "included_quantity"
        case priceSource = "price_source"
        case priceId = "price_id"
        case discountPercent = "discount_percent"
        case startDate = "start_date"
        case endDate = "end_date"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(productId, forKey: .productId)
        try container.encode(serviceCode, forKey: .serviceCode)
        try container.encode(billingProcessId, forKey: .billingProcessId)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(pricingModel, forKey: .pricingModel)
        try container.encode(unitPrice, forKey: .unitPrice)
        try container.encode(packageSize, forKey: .packageSize)
        try container.encode(includedQuantity, forKey: .includedQuantity)
        try container.encode(tiers, forKey: .tiers)
        try container.encode(priceSource, forKey: .priceSource)
        try container.encode(priceId, forKey: .priceId)
        try container.encode(discountPercent, forKey: .discountPercent)
        try container.encode(amount, forKey: .amount)
        try container.encode(startDate, forKey: .startDate)
        try container.encode(endDate, forKey: .endDate)
        try container.encode(schedule, forKey: .schedule)
    }
}

/// A deal being worked: its line items, its stage, and once won the order it became.
public struct Opportunity: Codable, Sendable, Equatable {
    public let id: String
    public let externalId: String?
    public let accountId: String
    public let name: String
    public let currency: String
    public let priceBookId: String?
    public let stage: String
    /// open | won | lost: the outcome of the stage.
    public let outcome: String
    public let closeDate: CalendarDate
    /// The term of the order it becomes.
    public let startDate: CalendarDate
    public let endDate: CalendarDate?
    public let orderType: String
    public let items: [OpportunityItem]
    /// The items' amounts summed, with the currency's decimals.
    public let amount: String
    /// The order winning it created.
    public let orderId: String?
    /// The order it renews (a renewal opportunity).
    public let renewalOfOrderId: String?
    /// Its order's next invoice date; before it has one, its schedules' first installment on or
    /// after today.
    public let nextInvoiceDate: CalendarDate?
    public let version: Int
    public let createdAt: String
    public let updatedAt: String
    public let closedAt: String?

    public init(
        id: String, externalId: String?, accountId: String, name: String, currency: String, priceBookId: String?,
        stage: String, outcome: String, closeDate: CalendarDate, startDate: CalendarDate, endDate: CalendarDate?,
        orderType: String, items: [OpportunityItem], amount: String, orderId: String?, renewalOfOrderId: String?,
        nextInvoiceDate: CalendarDate?, version: Int, createdAt: String, updatedAt: String, closedAt: String?
    ) {
        self.id = id
        self.externalId = externalId
        self.accountId = accountId
        self.name = name
        self.currency = currency
        self.priceBookId = priceBookId
        self.stage = stage
        self.outcome = outcome
        self.closeDate = closeDate
        self.startDate = startDate
        self.endDate = endDate
        self.orderType = orderType
        self.items = items
        self.amount = amount
        self.orderId = orderId
        self.renewalOfOrderId = renewalOfOrderId
        self.nextInvoiceDate = nextInvoiceDate
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.closedAt = closedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, currency, stage, outcome, items, amount, version
        case externalId = "external_id"
        case accountId = "account_id"
        case priceBookId = "price_book_id"
        case closeDate = "close_date"
        case startDate = "start_date"
        case endDate = "end_date"
        case orderType = "order_type"
        case orderId = "order_id"
        case renewalOfOrderId = "renewal_of_order_id"
        case nextInvoiceDate = "next_invoice_date"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case closedAt = "closed_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(externalId, forKey: .externalId)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(name, forKey: .name)
        try container.encode(currency, forKey: .currency)
        try container.encode(priceBookId, forKey: .priceBookId)
        try container.encode(stage, forKey: .stage)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(closeDate, forKey: .closeDate)
        try container.encode(startDate, forKey: .startDate)
        try container.encode(endDate, forKey: .endDate)
        try container.encode(orderType, forKey: .orderType)
        try container.encode(items, forKey: .items)
        try container.encode(amount, forKey: .amount)
        try container.encode(orderId, forKey: .orderId)
        try container.encode(renewalOfOrderId, forKey: .renewalOfOrderId)
        try container.encode(nextInvoiceDate, forKey: .nextInvoiceDate)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(closedAt, forKey: .closedAt)
    }
}

/// What `opportunities.create` and `opportunities.upsert` take.
public struct OpportunityInput: Codable, Sendable, Equatable {
    public var accountId: String
    public var name: String
    public var closeDate: CalendarDate
    /// The tenant's first stage when omitted.
    public var stage: String?
    /// The account's currency when omitted.
    public var currency: String?
    public var priceBookId: String?
    /// The close date when omitted.
    public var startDate: CalendarDate?
    public var endDate: CalendarDate?
    /// subscription (default) | investment | advertising: the type of the order it becomes.
    public var orderType: String?
    public var items: [OpportunityItemInput]?
    public var externalId: String?
    public var idempotencyKey: String?

    public init(
        accountId: String, name: String, closeDate: CalendarDate, stage: String? = nil, currency: String? = nil,
        priceBookId: String? = nil, startDate: CalendarDate? = nil, endDate: CalendarDate? = nil,
        orderType: String? = nil, items: [OpportunityItemInput]? = nil, externalId: String? = nil,
        idempotencyKey: String? = nil
    ) {
        self.accountId = accountId
        self.name = name
        self.closeDate = closeDate
        self.stage = stage
        self.currency = currency
        self.priceBookId = priceBookId
        self.startDate = startDate
        self.endDate = endDate
        self.orderType = orderType
        self.items = items
        self.externalId = externalId
        self.idempotencyKey = idempotencyKey
    }

    enum CodingKeys: String, CodingKey {
        case name, stage, currency, items
        case accountId = "account_id"
        case closeDate = "close_date"
        case priceBookId = "price_book_id"
        case startDate = "start_date"
        case endDate = "end_date"
        case orderType = "order_type"
        case externalId = "external_id"
        case idempotencyKey = "idempotency_key"
    }
}

/// `opportunities.create`.
public enum OpportunitiesCreate: RPCMethod {
    public static let name = "opportunities.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = OpportunityInput
    public typealias Result = Opportunity
}

/// `opportunities.upsert` by `external_id`: creates it, or brings it to exactly the input (line
/// items are replaced only when they differ).
public enum OpportunitiesUpsert: RPCMethod {
    public static let name = "opportunities.upsert"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = OpportunityInput

    public struct Result: Codable, Sendable, Equatable {
        public let opportunity: Opportunity
        public let created: Bool

        public init(opportunity: Opportunity, created: Bool) {
            self.opportunity = opportunity
            self.created = created
        }
    }
}

/// `opportunities.get` by `id` or `external_id`.
public enum OpportunitiesGet: RPCMethod {
    public static let name = "opportunities.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ObjectReference
    public typealias Result = Opportunity
}

/// `opportunities.update`: only the fields given change; `items` replaces every line item (and
/// drops their schedules).
public enum OpportunitiesUpdate: RPCMethod {
    public static let name = "opportunities.update"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Opportunity

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var expectedVersion: Int?
        public var name: String?
        public var closeDate: CalendarDate?
        public var startDate: CalendarDate?
        public var endDate: FieldUpdate<CalendarDate> = .unchanged
        public var priceBookId: FieldUpdate<String> = .unchanged
        public var orderType: String?
        public var externalId: FieldUpdate<String> = .unchanged
        public var items: [OpportunityItemInput]?

        public init(id: String, expectedVersion: Int? = nil) {
            self.id = id
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case id, name, items
            case expectedVersion = "expected_version"
            case closeDate = "close_date"
            case startDate = "start_date"
            case endDate = "end_date"
            case priceBookId = "price_book_id"
            case orderType = "order_type"
            case externalId = "external_id"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            expectedVersion = try container.decodeIfPresent(Int.self, forKey: .expectedVersion)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            closeDate = try container.decodeIfPresent(CalendarDate.self, forKey: .closeDate)
            startDate = try container.decodeIfPresent(CalendarDate.self, forKey: .startDate)
            endDate = try container.decodeUpdate(CalendarDate.self, forKey: .endDate)
            priceBookId = try container.decodeUpdate(String.self, forKey: .priceBookId)
            orderType = try container.decodeIfPresent(String.self, forKey: .orderType)
            externalId = try container.decodeUpdate(String.self, forKey: .externalId)
            items = try container.decodeIfPresent([OpportunityItemInput].self, forKey: .items)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(expectedVersion, forKey: .expectedVersion)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encodeIfPresent(closeDate, forKey: .closeDate)
            try container.encodeIfPresent(startDate, forKey: .startDate)
            try container.encode(endDate, forKey: .endDate)
            try container.encode(priceBookId, forKey: .priceBookId)
            try container.encodeIfPresent(orderType, forKey: .orderType)
            try container.encode(externalId, forKey: .externalId)
            try container.encodeIfPresent(items, forKey: .items)
        }
    }
}

/// `opportunities.list`, optionally of one account or one stage.
public enum OpportunitiesList: RPCMethod {
    public static let name = "opportunities.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Opportunity>

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String?
        public var stage: String?
        public var limit: Int?
        public var cursor: String?

        public init(accountId: String? = nil, stage: String? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.accountId = accountId
            self.stage = stage
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case stage, limit, cursor
            case accountId = "account_id"
        }
    }
}

/// `opportunities.set_stage`: entering the won stage creates the order, once.
public enum OpportunitiesSetStage: RPCMethod {
    public static let name = "opportunities.set_stage"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Opportunity

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var stage: String
        public var expectedVersion: Int?

        public init(id: String, stage: String, expectedVersion: Int? = nil) {
            self.id = id
            self.stage = stage
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case id, stage
            case expectedVersion = "expected_version"
        }
    }
}

/// `opportunities.set_schedule`: gives a line item a product schedule (BILLING.md §6), or removes
/// it with type `none`.
public enum OpportunitiesSetSchedule: RPCMethod {
    public static let name = "opportunities.set_schedule"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Opportunity

    public struct Params: Codable, Sendable, Equatable {
        public var itemId: String
        /// quantity | revenue | both | none
        public var type: String
        public var quantitySchedule: ScheduleSpreadInput?
        public var revenueSchedule: ScheduleSpreadInput?

        public init(
            itemId: String, type: String, quantitySchedule: ScheduleSpreadInput? = nil,
            revenueSchedule: ScheduleSpreadInput? = nil
        ) {
            self.itemId = itemId
            self.type = type
            self.quantitySchedule = quantitySchedule
            self.revenueSchedule = revenueSchedule
        }

        enum CodingKeys: String, CodingKey {
            case type
            case itemId = "item_id"
            case quantitySchedule = "quantity_schedule"
            case revenueSchedule = "revenue_schedule"
        }
    }
}
