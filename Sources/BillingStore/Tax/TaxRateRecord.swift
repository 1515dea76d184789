import BillingCore
import Postgres

/// A tax rate as stored.
public struct TaxRateRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String?
    public var country: String
    public var taxCategory: String
    /// In percent.
    public var rate: Decimal6
    public var priority: Int
    public var validFrom: CalendarDate
    public var validTo: CalendarDate?
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    static let columns = """
        id, name, country, tax_category, rate::text AS rate, priority, valid_from::text AS valid_from,
        valid_to::text AS valid_to, version, rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        name = try row.decode("name")
        country = try row.decode("country")
        taxCategory = try row.decode("tax_category")
        rate = try row.decode("rate")
        priority = try row.decode("priority")
        validFrom = try row.decode("valid_from")
        validTo = try row.decode("valid_to")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}
