import BillingCore
import Foundation
import Postgres

/// Price terms are stored the same way wherever they are (prices, order items): `pricing_model`,
/// `unit_price`, `package_size`, `included_quantity` and `tiers` (jsonb of decimal strings).
extension PriceTerms {
    /// Selected as `unit_price::text AS unit_price` etc.
    static let columns = """
        pricing_model, unit_price::text AS unit_price, package_size::text AS package_size,
        included_quantity::text AS included_quantity, tiers::text AS tiers
        """

    init(row: PostgresRow, frequency: BillingFrequency?, owner: String) throws {
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
            throw PostgresError(code: .decodingFailed, message: "\(owner) does not match its pricing model")
        }
        self.init(model: model, includedQuantity: try row.decode("included_quantity"), frequency: frequency)
    }

    /// The tiers as the jsonb text stored, nil for untiered models.
    var tiersJSON: String? {
        get throws {
            try model.tiers.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        }
    }
}
