import BillingCore
import Foundation
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
        id, price_book_id, account_id, product_id, service_code, currency, pricing_model,
        unit_price::text AS unit_price, package_size::text AS package_size,
        included_quantity::text AS included_quantity, frequency, tiers::text AS tiers,
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
        let unitPrice: Decimal6? = try row.decode("unit_price")
        let tiers = try row.decode("tiers", as: String?.self).map {
            try JSONDecoder().decode([PriceTier].self, from: Data($0.utf8))
        }
        let model: PricingModel? =
            switch try row.decode("pricing_model", as: String.self) {
            case "per_unit": unitPrice.map { .perUnit(unitPrice: $0) }
            case "package":
                try row.decode("package_size", as: Decimal6?.self).flatMap { size in
                    unitPrice.map { .package(size: size, packagePrice: $0) }
                }
            case "volume": tiers.map { .volume($0) }
            case "graduated": tiers.map { .graduated($0) }
            default: nil
            }
        guard let model else {
            throw PostgresError(code: .decodingFailed, message: "price \(id) does not match its pricing model")
        }
        terms = PriceTerms(
            model: model,
            includedQuantity: try row.decode("included_quantity"),
            frequency: try row.decode("frequency", as: String?.self).flatMap(BillingFrequency.init(rawValue:))
        )
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
