import Postgres

/// A contact row as stored; its account links are read separately.
public struct ContactRecord: Sendable, Equatable {
    public var id: Int64
    public var externalID: String?
    public var name: String
    public var email: String?
    public var phone: String?
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    static let columns = """
        id, external_id, name, email, phone, version, rfc3339(created_at) AS created_at,
        rfc3339(updated_at) AS updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        externalID = try row.decode("external_id")
        name = try row.decode("name")
        email = try row.decode("email")
        phone = try row.decode("phone")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}

/// A contact's link to an account with its roles there.
public struct ContactLinkRecord: Sendable, Equatable {
    public let contactID: Int64
    public let accountID: Int64
    public let roles: [String]
}
