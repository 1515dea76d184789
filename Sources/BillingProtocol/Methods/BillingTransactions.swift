import BillingCore

/// What will be invoiced: one period, installment, one-time charge or credit of an order item.
public struct BillingTransaction: Codable, Sendable, Equatable {
    public let id: String
    public let orderId: String
    public let orderItemId: String
    public let accountId: String
    /// null while an installment waits for its milestone.
    public let billingDate: CalendarDate?
    public let milestone: String?
    public let periodStart: CalendarDate?
    public let periodEnd: CalendarDate?
    /// Money: the currency's decimals exactly; negative for a credit.
    public let amount: String
    public let currency: String
    /// recurring | one_time | installment | credit
    public let kind: String
    /// pending | invoiced | cancelled
    public let status: String
    public let invoiceId: String?

    public init(
        id: String, orderId: String, orderItemId: String, accountId: String, billingDate: CalendarDate?,
        milestone: String?, periodStart: CalendarDate?, periodEnd: CalendarDate?, amount: String, currency: String,
        kind: String, status: String, invoiceId: String?
    ) {
        self.id = id
        self.orderId = orderId
        self.orderItemId = orderItemId
        self.accountId = accountId
        self.billingDate = billingDate
        self.milestone = milestone
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.amount = amount
        self.currency = currency
        self.kind = kind
        self.status = status
        self.invoiceId = invoiceId
    }

    enum CodingKeys: String, CodingKey {
        case id, milestone, amount, currency, kind, status
        case orderId = "order_id"
        case orderItemId = "order_item_id"
        case accountId = "account_id"
        case billingDate = "billing_date"
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case invoiceId = "invoice_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(orderId, forKey: .orderId)
        try container.encode(orderItemId, forKey: .orderItemId)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(billingDate, forKey: .billingDate)
        try container.encode(milestone, forKey: .milestone)
        try container.encode(periodStart, forKey: .periodStart)
        try container.encode(periodEnd, forKey: .periodEnd)
        try container.encode(amount, forKey: .amount)
        try container.encode(currency, forKey: .currency)
        try container.encode(kind, forKey: .kind)
        try container.encode(status, forKey: .status)
        try container.encode(invoiceId, forKey: .invoiceId)
    }
}

/// `billing_transactions.list`, filtered, in creation order (an item's transactions are created
/// in date order); `from`/`to` bound the billing date, both included.
public enum BillingTransactionsList: RPCMethod {
    public static let name = "billing_transactions.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<BillingTransaction>

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String?
        public var orderId: String?
        public var from: CalendarDate?
        public var to: CalendarDate?
        public var status: String?
        public var limit: Int?
        public var cursor: String?

        public init(
            accountId: String? = nil, orderId: String? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil,
            status: String? = nil, limit: Int? = nil, cursor: String? = nil
        ) {
            self.accountId = accountId
            self.orderId = orderId
            self.from = from
            self.to = to
            self.status = status
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case from, to, status, limit, cursor
            case accountId = "account_id"
            case orderId = "order_id"
        }
    }
}
