import BillingCore
import Postgres

/// A price entry as stored, of a price book or of an account's price plan.
public struct PriceRecord: Sendable, Equatable {
    public var id: Int64
    public var priceBookID: Int64?
    public var accountID: Int64?
    public var productID: Int64
    public var serviceCode: String
    public var currency: String
    public var terms: PriceTerms
    public var effectiveFrom: CalendarDate
    public var createdAt: String

    static let columns = """
        id, price_book_id, account_id, product_id, service_code, currency, \(PriceTerms.columns), frequency,
        effective_from::text AS effective_from, rfc3339(created_at) AS created_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        priceBookID = try row.decode("price_book_id")
        accountID = try row.decode("account_id")
        productID = try row.decode("product_id")
        serviceCode = try row.decode("service_code")
        currency = try row.decode("currency")
        effectiveFrom = try row.decode("effective_from")
        createdAt = try row.decode("created_at")
        terms = try PriceTerms(
            row: row,
            frequency: try row.decode("frequency", as: String?.self).flatMap(BillingFrequency.init(rawValue:)),
            owner: "price \(id)")
    }
}

/// A price to add: to a price book (`priceBookID`) or to an account's plan (`accountID`).
public struct NewPrice: Sendable, Equatable {
    public var priceBookID: Int64?
    public var accountID: Int64?
    public var productID: Int64
    public var serviceCode: String
    public var currency: String
    public var terms: PriceTerms
    /// nil: the tenant's today.
    public var effectiveFrom: CalendarDate?

    public init(
        priceBookID: Int64?, accountID: Int64?, productID: Int64, serviceCode: String, currency: String,
        terms: PriceTerms, effectiveFrom: CalendarDate?
    ) {
        self.priceBookID = priceBookID
        self.accountID = accountID
        self.productID = productID
        self.serviceCode = serviceCode
        self.currency = currency
        self.terms = terms
        self.effectiveFrom = effectiveFrom
    }
}

/// Where a looked-up price came from, in the order the lookup tries them.
public enum PriceSource: String, Sendable {
    case pricePlan = "price_plan"
    case priceBook = "price_book"
    case defaultPriceBook = "default_price_book"
}
