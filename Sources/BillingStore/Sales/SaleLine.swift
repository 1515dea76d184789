import BillingCore
import Postgres

/// What an opportunity line item, a quote line and the order item they become share: a product
/// service, a quantity, a frozen price with its discount, and how it will bill.
public struct SaleLine: Sendable, Equatable {
    public var productID: Int64
    public var serviceCode: String
    public var billingProcessID: Int64
    public var quantity: Decimal6
    /// The price before the discount, for one period of the billing process (recurring items).
    public var terms: PriceTerms
    public var priceSource: String
    public var priceID: Int64?
    public var discountPercent: Decimal6
    /// The line's own dates; the opportunity's when nil.
    public var startDate: CalendarDate?
    public var endDate: CalendarDate?

    public init(
        productID: Int64, serviceCode: String, billingProcessID: Int64, quantity: Decimal6, terms: PriceTerms,
        priceSource: String, priceID: Int64?, discountPercent: Decimal6, startDate: CalendarDate?,
        endDate: CalendarDate?
    ) {
        self.productID = productID
        self.serviceCode = serviceCode
        self.billingProcessID = billingProcessID
        self.quantity = quantity
        self.terms = terms
        self.priceSource = priceSource
        self.priceID = priceID
        self.discountPercent = discountPercent
        self.startDate = startDate
        self.endDate = endDate
    }

    static let columns = """
        product_id, service_code, billing_process_id, quantity::text AS quantity, \(PriceTerms.columns), price_source,
        price_id, discount_percent::text AS discount_percent, start_date::text AS start_date,
        end_date::text AS end_date
        """

    init(row: PostgresRow, owner: String) throws {
        productID = try row.decode("product_id")
        serviceCode = try row.decode("service_code")
        billingProcessID = try row.decode("billing_process_id")
        quantity = try row.decode("quantity")
        terms = try PriceTerms(row: row, frequency: nil, owner: owner)
        priceSource = try row.decode("price_source")
        priceID = try row.decode("price_id")
        discountPercent = try row.decode("discount_percent")
        startDate = try row.decode("start_date")
        endDate = try row.decode("end_date")
    }
}

/// A line to store with its total: on an opportunity or a quote.
public struct PricedSaleLine: Sendable, Equatable {
    public var line: SaleLine
    /// With the currency's decimals.
    public var amount: String

    public init(line: SaleLine, amount: String) {
        self.line = line
        self.amount = amount
    }
}
