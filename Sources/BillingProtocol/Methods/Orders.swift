import BillingCore

/// An item to put on an order: one service of a product, billed by a billing process.
public struct OrderItemInput: Codable, Sendable, Equatable {
    public var productId: String
    /// Needed when the product has more than one service.
    public var serviceCode: String?
    public var quantity: Decimal6
    /// Overrides the catalog price (per unit, for one period of the billing process).
    public var unitPrice: Decimal6?
    public var billingProcessId: String
    /// The order's start date when omitted.
    public var startDate: CalendarDate?
    /// The order's end date when omitted.
    public var endDate: CalendarDate?

    public init(
        productId: String, serviceCode: String? = nil, quantity: Decimal6, unitPrice: Decimal6? = nil,
        billingProcessId: String, startDate: CalendarDate? = nil, endDate: CalendarDate? = nil
    ) {
        self.productId = productId
        self.serviceCode = serviceCode
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.billingProcessId = billingProcessId
        self.startDate = startDate
        self.endDate = endDate
    }

    enum CodingKeys: String, CodingKey {
        case quantity
        case productId = "product_id"
        case serviceCode = "service_code"
        case unitPrice = "unit_price"
        case billingProcessId = "billing_process_id"
        case startDate = "start_date"
        case endDate = "end_date"
    }
}

/// An item of an order, with the price frozen when it was added.
public struct OrderItem: Codable, Sendable, Equatable {
    public let id: String
    public let productId: String
    public let serviceCode: String
    public let quantity: Decimal6
    public let pricingModel: String
    public let unitPrice: Decimal6?
    public let packageSize: Decimal6?
    public let includedQuantity: Decimal6
    public let tiers: [PriceTier]?
    /// explicit | price_plan | price_book | default_price_book
    public let priceSource: String
    public let priceId: String?
    public let billingProcessId: String
    public let startDate: CalendarDate
    public let endDate: CalendarDate?
    /// The item's own start date when the request gave one: a one-time item is billed on it.
    public let serviceDate: CalendarDate?
    public let billingDay: Int
    /// draft | active | terminated
    public let status: String

    public init(
        id: String, productId: String, serviceCode: String, quantity: Decimal6, terms: PriceTerms,
        priceSource: String, priceId: String?, billingProcessId: String, startDate: CalendarDate,
        endDate: CalendarDate?, serviceDate: CalendarDate?, billingDay: Int, status: String
    ) {
        self.id = id
        self.productId = productId
        self.serviceCode = serviceCode
        self.quantity = quantity
        self.pricingModel = terms.model.name
        self.unitPrice = terms.model.unitPrice
        self.packageSize = terms.model.packageSize
        self.includedQuantity = terms.includedQuantity
        self.tiers = terms.model.tiers
        self.priceSource = priceSource
        self.priceId = priceId
        self.billingProcessId = billingProcessId
        self.startDate = startDate
        self.endDate = endDate
        self.serviceDate = serviceDate
        self.billingDay = billingDay
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case id, quantity, tiers, status
        case productId = "product_id"
        case serviceCode = "service_code"
        case pricingModel = "pricing_model"
        case unitPrice = "unit_price"
        case packageSize = "package_size"
        case includedQuantity = "included_quantity"
        case priceSource = "price_source"
        case priceId = "price_id"
        case billingProcessId = "billing_process_id"
        case startDate = "start_date"
        case endDate = "end_date"
        case serviceDate = "service_date"
        case billingDay = "billing_day"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(productId, forKey: .productId)
        try container.encode(serviceCode, forKey: .serviceCode)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(pricingModel, forKey: .pricingModel)
        try container.encode(unitPrice, forKey: .unitPrice)
        try container.encode(packageSize, forKey: .packageSize)
        try container.encode(includedQuantity, forKey: .includedQuantity)
        try container.encode(tiers, forKey: .tiers)
        try container.encode(priceSource, forKey: .priceSource)
        try container.encode(priceId, forKey: .priceId)
        try container.encode(billingProcessId, forKey: .billingProcessId)
        try container.encode(startDate, forKey: .startDate)
        try container.encode(endDate, forKey: .endDate)
        try container.encode(serviceDate, forKey: .serviceDate)
        try container.encode(billingDay, forKey: .billingDay)
        try container.encode(status, forKey: .status)
    }
}

/// An order: what an account bought, and from when its items bill.
public struct Order: Codable, Sendable, Equatable {
    public let id: String
    public let externalId: String?
    public let accountId: String
    /// subscription | investment | advertising
    public let type: String
    public let currency: String
    public let priceBookId: String?
    public let startDate: CalendarDate
    public let endDate: CalendarDate?
    public let billingDay: Int
    /// invoice | sales_order | sales_receipt
    public let generate: String
    /// draft | active | cancelled
    public let status: String
    public let items: [OrderItem]
    /// The earliest billing date of a pending transaction.
    public let nextInvoiceDate: CalendarDate?
    /// Set by `orders.create` when the items joined this running subscription order instead.
    public let incrementedOrderId: String?
    public let version: Int
    public let createdAt: String
    public let updatedAt: String
    public let activatedAt: String?

    public init(
        id: String, externalId: String?, accountId: String, type: String, currency: String, priceBookId: String?,
        startDate: CalendarDate, endDate: CalendarDate?, billingDay: Int, generate: String, status: String,
        items: [OrderItem], nextInvoiceDate: CalendarDate?, incrementedOrderId: String? = nil, version: Int,
        createdAt: String, updatedAt: String, activatedAt: String?
    ) {
        self.id = id
        self.externalId = externalId
        self.accountId = accountId
        self.type = type
        self.currency = currency
        self.priceBookId = priceBookId
        self.startDate = startDate
        self.endDate = endDate
        self.billingDay = billingDay
        self.generate = generate
        self.status = status
        self.items = items
        self.nextInvoiceDate = nextInvoiceDate
        self.incrementedOrderId = incrementedOrderId
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.activatedAt = activatedAt
    }

    /// The same order, saying which running order the new items joined.
    public func incrementing(_ orderID: String) -> Order {
        Order(
            id: id, externalId: externalId, accountId: accountId, type: type, currency: currency,
            priceBookId: priceBookId, startDate: startDate, endDate: endDate, billingDay: billingDay,
            generate: generate, status: status, items: items, nextInvoiceDate: nextInvoiceDate,
            incrementedOrderId: orderID, version: version, createdAt: createdAt, updatedAt: updatedAt,
            activatedAt: activatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, type, currency, generate, status, items, version
        case externalId = "external_id"
        case accountId = "account_id"
        case priceBookId = "price_book_id"
        case startDate = "start_date"
        case endDate = "end_date"
        case billingDay = "billing_day"
        case nextInvoiceDate = "next_invoice_date"
        case incrementedOrderId = "incremented_order_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case activatedAt = "activated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(externalId, forKey: .externalId)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(type, forKey: .type)
        try container.encode(currency, forKey: .currency)
        try container.encode(priceBookId, forKey: .priceBookId)
        try container.encode(startDate, forKey: .startDate)
        try container.encode(endDate, forKey: .endDate)
        try container.encode(billingDay, forKey: .billingDay)
        try container.encode(generate, forKey: .generate)
        try container.encode(status, forKey: .status)
        try container.encode(items, forKey: .items)
        try container.encode(nextInvoiceDate, forKey: .nextInvoiceDate)
        try container.encode(incrementedOrderId, forKey: .incrementedOrderId)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(activatedAt, forKey: .activatedAt)
    }
}

/// `orders.create` → the draft order, or, for a subscription joining the account's running one,
/// that order with the new draft items and `incremented_order_id` set.
public enum OrdersCreate: RPCMethod {
    public static let name = "orders.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Order

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String
        public var type: String
        public var currency: String?
        public var priceBookId: String?
        public var startDate: CalendarDate
        public var endDate: CalendarDate?
        public var generate: String?
        public var newOrder: Bool?
        public var externalId: String?
        public var items: [OrderItemInput]
        public var idempotencyKey: String?

        public init(
            accountId: String, type: String, currency: String? = nil, priceBookId: String? = nil,
            startDate: CalendarDate, endDate: CalendarDate? = nil, generate: String? = nil, newOrder: Bool? = nil,
            externalId: String? = nil, items: [OrderItemInput], idempotencyKey: String? = nil
        ) {
            self.accountId = accountId
            self.type = type
            self.currency = currency
            self.priceBookId = priceBookId
            self.startDate = startDate
            self.endDate = endDate
            self.generate = generate
            self.newOrder = newOrder
            self.externalId = externalId
            self.items = items
            self.idempotencyKey = idempotencyKey
        }

        enum CodingKeys: String, CodingKey {
            case type, currency, generate, items
            case accountId = "account_id"
            case priceBookId = "price_book_id"
            case startDate = "start_date"
            case endDate = "end_date"
            case newOrder = "new_order"
            case externalId = "external_id"
            case idempotencyKey = "idempotency_key"
        }
    }
}

/// `orders.get` by `id` or `external_id`.
public enum OrdersGet: RPCMethod {
    public static let name = "orders.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ObjectReference
    public typealias Result = Order
}

/// `orders.list`, optionally of one account or status, in creation order.
public enum OrdersList: RPCMethod {
    public static let name = "orders.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Order>

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String?
        public var status: String?
        public var limit: Int?
        public var cursor: String?

        public init(accountId: String? = nil, status: String? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.accountId = accountId
            self.status = status
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case status, limit, cursor
            case accountId = "account_id"
        }
    }
}

/// `orders.activate`: activates the draft items given (all when omitted), writing their billing
/// transactions; activating an active item again changes nothing.
public enum OrdersActivate: RPCMethod {
    public static let name = "orders.activate"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Order

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var itemIds: [String]?
        /// The day of activation (one-time items and plan offsets count from it); the tenant's today when omitted.
        public var activationDate: CalendarDate?

        public init(id: String, itemIds: [String]? = nil, activationDate: CalendarDate? = nil) {
            self.id = id
            self.itemIds = itemIds
            self.activationDate = activationDate
        }

        enum CodingKeys: String, CodingKey {
            case id
            case itemIds = "item_ids"
            case activationDate = "activation_date"
        }
    }
}

/// `orders.activate_many`: activates every draft item of up to 500 orders in one transaction, all
/// or none, so that a connector activating a day's closed deals does not pay one request each.
public enum OrdersActivateMany: RPCMethod {
    public static let name = "orders.activate_many"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var ids: [String]
        /// The day of activation for every order; the tenant's today when omitted.
        public var activationDate: CalendarDate?

        public init(ids: [String], activationDate: CalendarDate? = nil) {
            self.ids = ids
            self.activationDate = activationDate
        }

        enum CodingKeys: String, CodingKey {
            case ids
            case activationDate = "activation_date"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        /// One entry per order named, in the order they were named (each once).
        public var orders: [ActivatedOrder]

        public init(orders: [ActivatedOrder]) {
            self.orders = orders
        }
    }

    /// What activating one order did; the order itself is `orders.get`'s (and the event's).
    public struct ActivatedOrder: Codable, Sendable, Equatable {
        public var id: String
        public var status: String
        public var version: Int
        /// The items this call activated; empty when the order had no draft item left.
        public var activatedItemIds: [String]
        public var nextInvoiceDate: CalendarDate?

        public init(
            id: String, status: String, version: Int, activatedItemIds: [String], nextInvoiceDate: CalendarDate?
        ) {
            self.id = id
            self.status = status
            self.version = version
            self.activatedItemIds = activatedItemIds
            self.nextInvoiceDate = nextInvoiceDate
        }

        enum CodingKeys: String, CodingKey {
            case id, status, version
            case activatedItemIds = "activated_item_ids"
            case nextInvoiceDate = "next_invoice_date"
        }

        /// Writes `next_invoice_date` as `null` when there is none, as Order does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(status, forKey: .status)
            try container.encode(version, forKey: .version)
            try container.encode(activatedItemIds, forKey: .activatedItemIds)
            try container.encode(nextInvoiceDate, forKey: .nextInvoiceDate)
        }
    }
}

/// `orders.add_items`: new draft items on an order.
public enum OrdersAddItems: RPCMethod {
    public static let name = "orders.add_items"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Order

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var items: [OrderItemInput]

        public init(id: String, items: [OrderItemInput]) {
            self.id = id
            self.items = items
        }
    }
}

/// `orders.terminate_items`: the items end on `end_date`; their later transactions are cancelled
/// and an already billed period is credited for its unused days.
public enum OrdersTerminateItems: RPCMethod {
    public static let name = "orders.terminate_items"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Order

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var itemIds: [String]
        public var endDate: CalendarDate

        public init(id: String, itemIds: [String], endDate: CalendarDate) {
            self.id = id
            self.itemIds = itemIds
            self.endDate = endDate
        }

        enum CodingKeys: String, CodingKey {
            case id
            case itemIds = "item_ids"
            case endDate = "end_date"
        }
    }
}

/// `orders.reach_milestone`: the item's installments waiting for `milestone` fall due on `date`
/// (the tenant's today when omitted).
public enum OrdersReachMilestone: RPCMethod {
    public static let name = "orders.reach_milestone"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Order

    public struct Params: Codable, Sendable, Equatable {
        public var itemId: String
        public var milestone: String
        public var date: CalendarDate?

        public init(itemId: String, milestone: String, date: CalendarDate? = nil) {
            self.itemId = itemId
            self.milestone = milestone
            self.date = date
        }

        enum CodingKeys: String, CodingKey {
            case milestone, date
            case itemId = "item_id"
        }
    }
}

/// `orders.cancel`: a draft order (no item activated) is withdrawn; it can no longer be activated.
public enum OrdersCancel: RPCMethod {
    public static let name = "orders.cancel"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Order

    public struct Params: Codable, Sendable, Equatable {
        public var id: String

        public init(id: String) {
            self.id = id
        }
    }
}
