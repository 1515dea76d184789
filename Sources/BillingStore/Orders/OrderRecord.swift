import BillingCore
import Postgres

/// An order row as stored; its items are read separately.
public struct OrderRecord: Sendable, Equatable {
    public var id: Int64
    public var externalID: String?
    public var accountID: Int64
    public var type: String
    public var currency: String
    public var priceBookID: Int64?
    public var startDate: CalendarDate
    public var endDate: CalendarDate?
    public var billingDay: Int
    public var generate: String
    public var status: String
    public var version: Int
    public var createdAt: String
    public var updatedAt: String
    public var activatedAt: String?

    static let columns = """
        id, external_id, account_id, type, currency, price_book_id, start_date::text AS start_date,
        end_date::text AS end_date, billing_day, generate, status, version, rfc3339(created_at) AS created_at,
        rfc3339(updated_at) AS updated_at, rfc3339(activated_at) AS activated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        externalID = try row.decode("external_id")
        accountID = try row.decode("account_id")
        type = try row.decode("type")
        currency = try row.decode("currency")
        priceBookID = try row.decode("price_book_id")
        startDate = try row.decode("start_date")
        endDate = try row.decode("end_date")
        billingDay = try row.decode("billing_day")
        generate = try row.decode("generate")
        status = try row.decode("status")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
        activatedAt = try row.decode("activated_at")
    }
}

/// An order item as stored, with its frozen price.
public struct OrderItemRecord: Sendable, Equatable {
    public var id: Int64
    public var orderID: Int64
    public var productID: Int64
    public var serviceCode: String
    public var quantity: Decimal6
    /// The frozen price, for one period of the billing process (recurring items).
    public var terms: PriceTerms
    public var priceSource: String
    public var priceID: Int64?
    public var billingProcessID: Int64
    public var startDate: CalendarDate
    public var endDate: CalendarDate?
    /// The item's own start date, when it gave one.
    public var serviceDate: CalendarDate?
    public var billingDay: Int
    public var status: String
    /// Open-ended recurring items: periods starting through this day have transactions.
    public var billedThrough: CalendarDate?
    public var activatedOn: CalendarDate?

    static let columns = """
        id, order_id, product_id, service_code, quantity::text AS quantity, \(PriceTerms.columns), price_source,
        price_id, billing_process_id, start_date::text AS start_date, end_date::text AS end_date,
        service_date::text AS service_date, billing_day, status,
        billed_through::text AS billed_through, activated_on::text AS activated_on
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        orderID = try row.decode("order_id")
        productID = try row.decode("product_id")
        serviceCode = try row.decode("service_code")
        quantity = try row.decode("quantity")
        terms = try PriceTerms(row: row, frequency: nil, owner: "order item \(id)")
        priceSource = try row.decode("price_source")
        priceID = try row.decode("price_id")
        billingProcessID = try row.decode("billing_process_id")
        startDate = try row.decode("start_date")
        endDate = try row.decode("end_date")
        serviceDate = try row.decode("service_date")
        billingDay = try row.decode("billing_day")
        status = try row.decode("status")
        billedThrough = try row.decode("billed_through")
        activatedOn = try row.decode("activated_on")
    }
}

/// An order to store.
public struct NewOrder: Sendable, Equatable {
    public var externalID: String?
    public var accountID: Int64
    public var type: String
    public var currency: String
    public var priceBookID: Int64?
    public var startDate: CalendarDate
    public var endDate: CalendarDate?
    public var billingDay: Int
    public var generate: String

    public init(
        externalID: String?, accountID: Int64, type: String, currency: String, priceBookID: Int64?,
        startDate: CalendarDate, endDate: CalendarDate?, billingDay: Int, generate: String
    ) {
        self.externalID = externalID
        self.accountID = accountID
        self.type = type
        self.currency = currency
        self.priceBookID = priceBookID
        self.startDate = startDate
        self.endDate = endDate
        self.billingDay = billingDay
        self.generate = generate
    }
}

/// An item to store on an order.
public struct NewOrderItem: Sendable, Equatable {
    public var productID: Int64
    public var serviceCode: String
    public var quantity: Decimal6
    public var terms: PriceTerms
    public var priceSource: String
    public var priceID: Int64?
    public var billingProcessID: Int64
    public var startDate: CalendarDate
    public var endDate: CalendarDate?
    public var serviceDate: CalendarDate?
    public var billingDay: Int

    public init(
        productID: Int64, serviceCode: String, quantity: Decimal6, terms: PriceTerms, priceSource: String,
        priceID: Int64?, billingProcessID: Int64, startDate: CalendarDate, endDate: CalendarDate?,
        serviceDate: CalendarDate?, billingDay: Int
    ) {
        self.productID = productID
        self.serviceCode = serviceCode
        self.quantity = quantity
        self.terms = terms
        self.priceSource = priceSource
        self.priceID = priceID
        self.billingProcessID = billingProcessID
        self.startDate = startDate
        self.endDate = endDate
        self.serviceDate = serviceDate
        self.billingDay = billingDay
    }
}
