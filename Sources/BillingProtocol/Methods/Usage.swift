import BillingCore

/// A measured use of a metered service, as a partner sends it.
public struct UsageEventInput: Codable, Sendable, Equatable {
    /// The partner's id of the event, unique in the tenant: sending it again is a no-op.
    public var eventId: String
    /// The account that used it; its active usage item of `metric` is the one billed.
    public var accountId: String?
    /// Or the usage item directly.
    public var orderItemId: String?
    /// The usage service's code.
    public var metric: String
    public var quantity: Decimal6
    /// RFC 3339, e.g. `2026-12-05T10:15:00Z`.
    public var at: String
    public var properties: JSONValue?

    public init(
        eventId: String, accountId: String? = nil, orderItemId: String? = nil, metric: String, quantity: Decimal6,
        at: String, properties: JSONValue? = nil
    ) {
        self.eventId = eventId
        self.accountId = accountId
        self.orderItemId = orderItemId
        self.metric = metric
        self.quantity = quantity
        self.at = at
        self.properties = properties
    }

    enum CodingKeys: String, CodingKey {
        case metric, quantity, at, properties
        case eventId = "event_id"
        case accountId = "account_id"
        case orderItemId = "order_item_id"
    }
}

/// `usage.record`: up to 1,000 events, all stored or none.
public enum UsageRecord: RPCMethod {
    public static let name = "usage.record"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var events: [UsageEventInput]

        public init(events: [UsageEventInput]) {
            self.events = events
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        /// Events stored by this call.
        public let recorded: Int
        /// Events already stored with the same content: counted, not stored again.
        public let duplicates: Int
        public let duplicateEventIds: [String]

        public init(recorded: Int, duplicates: Int, duplicateEventIds: [String]) {
            self.recorded = recorded
            self.duplicates = duplicates
            self.duplicateEventIds = duplicateEventIds
        }

        enum CodingKeys: String, CodingKey {
            case recorded, duplicates
            case duplicateEventIds = "duplicate_event_ids"
        }
    }
}

/// One billing period of a usage item: what it measured so far and what that rates to.
public struct UsagePeriodSummary: Codable, Sendable, Equatable {
    public let periodStart: CalendarDate
    public let periodEnd: CalendarDate
    /// The period's quantity by the item's aggregation.
    public let quantity: Decimal6
    public let events: Int64
    /// The quantity rated at the item's price, with the currency's decimals.
    public let amount: String
    /// open (not over yet) | unrated (over, usage not all rated) | rated
    public let status: String

    public init(
        periodStart: CalendarDate, periodEnd: CalendarDate, quantity: Decimal6, events: Int64, amount: String,
        status: String
    ) {
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.quantity = quantity
        self.events = events
        self.amount = amount
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case quantity, events, amount, status
        case periodStart = "period_start"
        case periodEnd = "period_end"
    }
}

/// A usage item of the account with its periods in the range asked.
public struct UsageItemSummary: Codable, Sendable, Equatable {
    public let orderItemId: String
    public let orderId: String
    public let metric: String
    /// sum | count | max
    public let aggregation: String
    public let currency: String
    public let periods: [UsagePeriodSummary]

    public init(
        orderItemId: String, orderId: String, metric: String, aggregation: String, currency: String,
        periods: [UsagePeriodSummary]
    ) {
        self.orderItemId = orderItemId
        self.orderId = orderId
        self.metric = metric
        self.aggregation = aggregation
        self.currency = currency
        self.periods = periods
    }

    enum CodingKeys: String, CodingKey {
        case metric, aggregation, currency, periods
        case orderItemId = "order_item_id"
        case orderId = "order_id"
    }
}

/// `usage.summary`: an account's usage by item and billing period; by default the current period.
public enum UsageSummary: RPCMethod {
    public static let name = "usage.summary"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String
        /// Periods ending on or after this day; the tenant's today when omitted.
        public var from: CalendarDate?
        /// Periods starting on or before this day; `from` when omitted.
        public var to: CalendarDate?

        public init(accountId: String, from: CalendarDate? = nil, to: CalendarDate? = nil) {
            self.accountId = accountId
            self.from = from
            self.to = to
        }

        enum CodingKeys: String, CodingKey {
            case from, to
            case accountId = "account_id"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let accountId: String
        public let from: CalendarDate
        public let to: CalendarDate
        public let items: [UsageItemSummary]

        public init(accountId: String, from: CalendarDate, to: CalendarDate, items: [UsageItemSummary]) {
            self.accountId = accountId
            self.from = from
            self.to = to
            self.items = items
        }

        enum CodingKeys: String, CodingKey {
            case from, to, items
            case accountId = "account_id"
        }
    }
}

extension UsageEventInput: JSONValueDecodable {
    static let fieldNames: Set<String> = [
        "event_id", "account_id", "order_item_id", "metric", "quantity", "at", "properties",
    ]

    public init(json: JSONValue, path: String, unknown: inout [String]) throws(InvalidParams) {
        let fields = try JSONFields(json, path: path, known: Self.fieldNames, unknown: &unknown)
        eventId = try fields.string("event_id", unknown: unknown)
        accountId = try fields.optionalString("account_id", unknown: unknown)
        orderItemId = try fields.optionalString("order_item_id", unknown: unknown)
        metric = try fields.string("metric", unknown: unknown)
        quantity = try fields.decimal("quantity", unknown: unknown)
        at = try fields.string("at", unknown: unknown)
        properties = fields.fields["properties"].flatMap { $0 == .null ? nil : $0 }
    }
}

extension UsageRecord.Params: JSONValueDecodable {
    public init(json: JSONValue, path: String, unknown: inout [String]) throws(InvalidParams) {
        let fields = try JSONFields(json, path: path, known: ["events"], unknown: &unknown)
        guard let list = fields.fields["events"] else {
            throw InvalidParams(fields: unknown + ["\(JSONFields.join(path, "events")) (missing)"])
        }
        guard case .array(let values) = list else {
            throw InvalidParams(
                fields: unknown + ["\(JSONFields.join(path, "events")) (expected an array, got \(list.kind))"])
        }
        var events: [UsageEventInput] = []
        events.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            events.append(
                try UsageEventInput(
                    json: value, path: "\(JSONFields.join(path, "events"))[\(index)]", unknown: &unknown))
        }
        self.events = events
    }
}
