import BillingCore
import Postgres

/// A tenant as stored: a company using the deployment, with the legal entity that issues its invoices.
public struct TenantRecord: Sendable, Equatable {
    public let id: TenantID
    public let name: String
    public let defaultCurrency: String
    public let timezone: String
    public let legalEntityName: String
    public let legalEntityCountry: String
    public let legalEntityVATNumber: String?
    /// JSON object text.
    public let legalEntityAddress: String?
    public let version: Int
    public let createdAt: String
    public let updatedAt: String

    static let columns = """
        id, name, default_currency, timezone, legal_entity_name, legal_entity_country, legal_entity_vat_number,
        legal_entity_address::text AS legal_entity_address,
        version, rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at
        """

    init(row: PostgresRow) throws {
        id = TenantID(try row.decode("id", as: Int64.self))
        name = try row.decode("name")
        defaultCurrency = try row.decode("default_currency")
        timezone = try row.decode("timezone")
        legalEntityName = try row.decode("legal_entity_name")
        legalEntityCountry = try row.decode("legal_entity_country")
        legalEntityVATNumber = try row.decode("legal_entity_vat_number")
        legalEntityAddress = try row.decode("legal_entity_address")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}
