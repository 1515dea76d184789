import BillingCore
import Postgres

/// An opportunity row as stored; its line items are read separately.
public struct OpportunityRecord: Sendable, Equatable {
    public var id: Int64
    public var externalID: String?
    public var accountID: Int64
    public var name: String
    public var currency: String
    public var priceBookID: Int64?
    public var stage: String
    public var outcome: String
    public var closeDate: CalendarDate
    public var startDate: CalendarDate
    public var endDate: CalendarDate?
    public var orderType: String
    public var orderID: Int64?
    public var renewalOfOrderID: Int64?
    public var version: Int
    public var createdAt: String
    public var updatedAt: String
    public var closedAt: String?

    /// The fields a caller sets.
    public var fields: OpportunityFields {
        OpportunityFields(
            externalID: externalID, name: name, priceBookID: priceBookID, closeDate: closeDate, startDate: startDate,
            endDate: endDate, orderType: orderType)
    }

    static let columns = """
        id, external_id, account_id, name, currency, price_book_id, stage, outcome, close_date::text AS close_date,
        start_date::text AS start_date, end_date::text AS end_date, order_type, order_id, renewal_of_order_id,
        version, rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at,
        rfc3339(closed_at) AS closed_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        externalID = try row.decode("external_id")
        accountID = try row.decode("account_id")
        name = try row.decode("name")
        currency = try row.decode("currency")
        priceBookID = try row.decode("price_book_id")
        stage = try row.decode("stage")
        outcome = try row.decode("outcome")
        closeDate = try row.decode("close_date")
        startDate = try row.decode("start_date")
        endDate = try row.decode("end_date")
        orderType = try row.decode("order_type")
        orderID = try row.decode("order_id")
        renewalOfOrderID = try row.decode("renewal_of_order_id")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
        closedAt = try row.decode("closed_at")
    }
}

/// The fields of an opportunity a caller sets (account, currency and stage are set otherwise).
public struct OpportunityFields: Sendable, Equatable {
    public var externalID: String?
    public var name: String
    public var priceBookID: Int64?
    public var closeDate: CalendarDate
    public var startDate: CalendarDate
    public var endDate: CalendarDate?
    public var orderType: String

    public init(
        externalID: String?, name: String, priceBookID: Int64?, closeDate: CalendarDate, startDate: CalendarDate,
        endDate: CalendarDate?, orderType: String
    ) {
        self.externalID = externalID
        self.name = name
        self.priceBookID = priceBookID
        self.closeDate = closeDate
        self.startDate = startDate
        self.endDate = endDate
        self.orderType = orderType
    }
}

/// A line item as stored, with its price as looked up and its discount.
public struct OpportunityItemRecord: Sendable, Equatable {
    public var id: Int64
    public var opportunityID: Int64
    public var item: SaleLine
    /// The line's total, with the currency's decimals.
    public var amount: String
    public var scheduleType: String?
    /// The schedule request as JSON text.
    public var schedule: String?

    static let columns = """
        id, opportunity_id, amount::text AS amount, schedule_type, schedule::text AS schedule, \(SaleLine.columns)
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        opportunityID = try row.decode("opportunity_id")
        item = try SaleLine(row: row, owner: "opportunity item \(id)")
        amount = try row.decode("amount")
        scheduleType = try row.decode("schedule_type")
        schedule = try row.decode("schedule")
    }
}

/// A dated installment of a line item's schedule, as stored.
public struct ScheduleInstallmentRecord: Sendable, Equatable {
    public var itemID: Int64
    public var position: Int
    public var date: CalendarDate
    /// Two decimals.
    public var quantity: String?
    /// The currency's decimals.
    public var revenue: String?

    public init(itemID: Int64, position: Int, date: CalendarDate, quantity: String?, revenue: String?) {
        self.itemID = itemID
        self.position = position
        self.date = date
        self.quantity = quantity
        self.revenue = revenue
    }

    static let columns = """
        item_id, position, date::text AS date, quantity::text AS quantity, revenue::text AS revenue
        """

    init(row: PostgresRow) throws {
        itemID = try row.decode("item_id")
        position = try row.decode("position")
        date = try row.decode("date")
        quantity = try row.decode("quantity")
        revenue = try row.decode("revenue")
    }
}
