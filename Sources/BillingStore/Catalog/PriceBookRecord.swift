import Postgres

/// A price book row as stored.
public struct PriceBookRecord: Sendable, Equatable {
    public var id: Int64
    public var externalID: String?
    public var name: String
    public var currency: String
    public var isDefault: Bool
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    static let columns = """
        id, external_id, name, currency, is_default, version, rfc3339(created_at) AS created_at,
        rfc3339(updated_at) AS updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        externalID = try row.decode("external_id")
        name = try row.decode("name")
        currency = try row.decode("currency")
        isDefault = try row.decode("is_default")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}
