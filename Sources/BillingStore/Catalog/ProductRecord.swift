import Postgres

/// A product row as stored; its services are read separately.
public struct ProductRecord: Sendable, Equatable {
    public var id: Int64
    public var externalID: String?
    public var code: String
    public var name: String
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    static let columns = """
        id, external_id, code, name, version, rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        externalID = try row.decode("external_id")
        code = try row.decode("code")
        name = try row.decode("name")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}

/// A service of a product as stored.
public struct ProductServiceRecord: Sendable, Equatable {
    public var code: String
    public var name: String
    public var kind: String
    public var taxCategory: String
    public var unit: String?
    public var pricingModel: String

    public init(code: String, name: String, kind: String, taxCategory: String, unit: String?, pricingModel: String) {
        self.code = code
        self.name = name
        self.kind = kind
        self.taxCategory = taxCategory
        self.unit = unit
        self.pricingModel = pricingModel
    }
}
