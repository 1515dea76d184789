import Postgres

/// A tenant's contacts and their links to accounts.
public struct ContactRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// The fields of a contact a caller sets.
    public struct Fields: Sendable, Equatable {
        public var externalID: String?
        public var name: String
        public var email: String?
        public var phone: String?

        public init(externalID: String?, name: String, email: String?, phone: String?) {
            self.externalID = externalID
            self.name = name
            self.email = email
            self.phone = phone
        }
    }

    public func insert(_ fields: Fields) async throws -> ContactRecord {
        let rows = try await connection.query(
            """
            INSERT INTO contacts (tenant_id, external_id, name, email, phone)
            VALUES (\(transaction.tenantID.rawValue), \(fields.externalID), \(fields.name), \(fields.email), \(fields.phone))
            RETURNING \(unescaped: ContactRecord.columns)
            """
        )
        return try ContactRecord(row: rows[0])
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> ContactRecord? {
        let rows = try await connection.query(
            "SELECT \(unescaped: ContactRecord.columns) FROM contacts WHERE id = \(id) \(unescaped: forUpdate ? "FOR UPDATE" : "")"
        )
        return try rows.first.map(ContactRecord.init(row:))
    }

    public func find(externalID: String, forUpdate: Bool = false) async throws -> ContactRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: ContactRecord.columns) FROM contacts WHERE external_id = \(externalID)
            \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """
        )
        return try rows.first.map(ContactRecord.init(row:))
    }

    /// Writes the fields and bumps the version if it is still `version`; nil otherwise.
    public func update(id: Int64, fields: Fields, version: Int) async throws -> ContactRecord? {
        let rows = try await connection.query(
            """
            UPDATE contacts SET external_id = \(fields.externalID), name = \(fields.name), email = \(fields.email),
                phone = \(fields.phone), version = version + 1, updated_at = now()
            WHERE id = \(id) AND version = \(version)
            RETURNING \(unescaped: ContactRecord.columns)
            """
        )
        return try rows.first.map(ContactRecord.init(row:))
    }

    /// Records a change of the contact's links as a new version.
    public func touch(id: Int64) async throws -> ContactRecord {
        let rows = try await connection.query(
            """
            UPDATE contacts SET version = version + 1, updated_at = now() WHERE id = \(id)
            RETURNING \(unescaped: ContactRecord.columns)
            """
        )
        return try ContactRecord(row: rows[0])
    }

    /// Serializes changes to one account's contact links (held until the transaction ends).
    public func lockLinks(ofAccount accountID: Int64) async throws {
        try await transaction.lock("account-contacts:\(accountID)")
    }

    /// Links the contact to the account with exactly these roles. The billing role leaves the
    /// account's previous billing contact, whose id is returned. Links of one account are changed
    /// one transaction at a time.
    public func link(contactID: Int64, accountID: Int64, roles: [String]) async throws -> Int64? {
        try await lockLinks(ofAccount: accountID)
        var previousBillingContact: Int64?
        if roles.contains("billing") {
            previousBillingContact = try await connection.query(
                """
                UPDATE account_contacts SET roles = array_remove(roles, 'billing')
                WHERE account_id = \(accountID) AND contact_id <> \(contactID) AND 'billing' = ANY (roles)
                RETURNING contact_id
                """
            ).first.map { try $0.decode("contact_id", as: Int64.self) }
        }
        try await connection.execute(
            """
            INSERT INTO account_contacts (tenant_id, account_id, contact_id, roles)
            VALUES (\(transaction.tenantID.rawValue), \(accountID), \(contactID), \(roles)::text[])
            ON CONFLICT (tenant_id, account_id, contact_id) DO UPDATE SET roles = EXCLUDED.roles
            """
        )
        return previousBillingContact
    }

    /// Removes the link; false when there was none.
    public func unlink(contactID: Int64, accountID: Int64) async throws -> Bool {
        try await connection.execute(
            "DELETE FROM account_contacts WHERE account_id = \(accountID) AND contact_id = \(contactID)"
        ) > 0
    }

    /// The links of these contacts, by account id.
    public func links(of contactIDs: [Int64]) async throws -> [ContactLinkRecord] {
        let rows = try await connection.query(
            """
            SELECT contact_id, account_id, array_to_json(roles)::text AS roles FROM account_contacts
            WHERE contact_id = ANY(\(contactIDs)::bigint[]) ORDER BY contact_id, account_id
            """
        )
        return try rows.map { row in
            let roles: String = try row.decode("roles")
            return ContactLinkRecord(
                contactID: try row.decode("contact_id"),
                accountID: try row.decode("account_id"),
                roles: roles.dropFirst().dropLast().split(separator: ",").map { String($0.dropFirst().dropLast()) }
            )
        }
    }

    /// Contacts in creation order, optionally those linked to one account.
    public func list(accountID: Int64?, after: Int64?, limit: Int) async throws -> [ContactRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: ContactRecord.columns) FROM contacts c
            WHERE c.id > \(after ?? 0)
              AND (\(accountID)::bigint IS NULL
                   OR EXISTS (SELECT 1 FROM account_contacts l WHERE l.contact_id = c.id AND l.account_id = \(accountID)))
            ORDER BY c.id LIMIT \(limit)
            """
        )
        return try rows.map(ContactRecord.init(row:))
    }
}
