import BillingCore
import Postgres

/// A usage event to store, with the item and billing period it was resolved to.
public struct NewUsageEvent: Sendable, Equatable {
    public var eventID: String
    public var orderItemID: Int64
    public var metric: String
    public var quantity: Decimal6
    public var occurredAt: Timestamp
    public var day: CalendarDate
    public var periodStart: CalendarDate
    public var periodEnd: CalendarDate
    /// JSON object text.
    public var properties: String?

    public init(
        eventID: String, orderItemID: Int64, metric: String, quantity: Decimal6, occurredAt: Timestamp,
        day: CalendarDate, periodStart: CalendarDate, periodEnd: CalendarDate, properties: String?
    ) {
        self.eventID = eventID
        self.orderItemID = orderItemID
        self.metric = metric
        self.quantity = quantity
        self.occurredAt = occurredAt
        self.day = day
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.properties = properties
    }
}

/// A usage item's billing period with events: its running totals and what was rated of it.
public struct UsagePeriodRecord: Sendable, Equatable {
    public var orderItemID: Int64
    public var periodStart: CalendarDate
    public var periodEnd: CalendarDate
    public var quantitySum: Decimal6
    public var eventCount: Int64
    public var quantityMax: Decimal6
    /// The aggregate rated so far; nil before the first rating.
    public var ratedQuantity: Decimal6?
    public var ratings: Int
    /// Events came after the last rating (or it was never rated).
    public var unrated: Bool

    static let columns = """
        order_item_id, period_start::text AS period_start, period_end::text AS period_end,
        quantity_sum::text AS quantity_sum, event_count, quantity_max::text AS quantity_max,
        rated_quantity::text AS rated_quantity, ratings, unrated
        """

    init(row: PostgresRow) throws {
        orderItemID = try row.decode("order_item_id")
        periodStart = try row.decode("period_start")
        periodEnd = try row.decode("period_end")
        quantitySum = try row.decode("quantity_sum")
        eventCount = try row.decode("event_count")
        quantityMax = try row.decode("quantity_max")
        ratedQuantity = try row.decode("rated_quantity")
        ratings = try row.decode("ratings")
        unrated = try row.decode("unrated")
    }

    /// The period's quantity by `aggregation`.
    public func quantity(_ aggregation: UsageAggregation) -> Decimal6 {
        aggregation.quantity(sum: quantitySum, count: eventCount, max: quantityMax)
    }
}

/// A usage transaction a rating writes: the charge for a period's usage, or for what came after
/// the period was last rated.
public struct NewUsageCharge: Sendable, Equatable {
    public var item: OrderItemRecord
    public var accountID: Int64
    public var currency: String
    public var key: String
    public var periodStart: CalendarDate
    public var periodEnd: CalendarDate
    public var billingDate: CalendarDate
    public var quantity: Decimal6
    public var amount: Money
    /// The aggregate rated once this is written.
    public var ratedQuantity: Decimal6

    public init(
        item: OrderItemRecord, accountID: Int64, currency: String, key: String, periodStart: CalendarDate,
        periodEnd: CalendarDate, billingDate: CalendarDate, quantity: Decimal6, amount: Money,
        ratedQuantity: Decimal6
    ) {
        self.item = item
        self.accountID = accountID
        self.currency = currency
        self.key = key
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.billingDate = billingDate
        self.quantity = quantity
        self.amount = amount
        self.ratedQuantity = ratedQuantity
    }
}

/// An order item a usage event may be for, with its order's account and its billing process.
public struct UsageItemCandidate: Sendable, Equatable {
    public var item: OrderItemRecord
    public var accountID: Int64
    public var processKind: String
    public var frequency: BillingFrequency?
    public var aggregation: UsageAggregation?

    init(row: PostgresRow) throws {
        item = try OrderItemRecord(row: row)
        accountID = try row.decode("order_account_id")
        processKind = try row.decode("process_kind")
        frequency = try row.decode("process_frequency", as: String?.self).flatMap(BillingFrequency.init(rawValue:))
        aggregation = try row.decode("process_aggregation", as: String?.self).flatMap(UsageAggregation.init(rawValue:))
    }
}
