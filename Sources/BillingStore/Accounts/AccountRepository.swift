import BillingCore
import Postgres

/// A tenant's accounts and their hierarchies.
public struct AccountRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// The fields of an account a caller sets; everything else is maintained here.
    public struct Fields: Sendable, Equatable {
        public var externalID: String?
        public var name: String
        public var currency: String
        public var status: String
        public var settings: HierarchySettings
        public var taxCountry: String?
        public var taxVATNumber: String?
        public var taxExempt: Bool
        public var taxExemptionReason: String?
        public var address: String?
        public var timezone: String?

        public init(
            externalID: String?, name: String, currency: String, status: String, settings: HierarchySettings,
            taxCountry: String?, taxVATNumber: String?, taxExempt: Bool, taxExemptionReason: String?,
            address: String?, timezone: String?
        ) {
            self.externalID = externalID
            self.name = name
            self.currency = currency
            self.status = status
            self.settings = settings
            self.taxCountry = taxCountry
            self.taxVATNumber = taxVATNumber
            self.taxExempt = taxExempt
            self.taxExemptionReason = taxExemptionReason
            self.address = address
            self.timezone = timezone
        }
    }

    /// Serializes every change to this tenant's accounts, taken before any row lock: the hierarchy
    /// rules read several accounts (parents, subtrees, named invoicers), and two changes checked
    /// side by side could together break one (a cycle, a child under a closed parent).
    public func lockHierarchies() async throws {
        try await transaction.lock("hierarchy")
    }

    /// Stores a new account under `parent` (nil: the root of a new hierarchy).
    public func insert(_ fields: Fields, parent: AccountRecord?) async throws -> AccountRecord {
        let settings = fields.settings
        let rows = try await connection.query(
            """
            WITH next AS (SELECT nextval(pg_get_serial_sequence('accounts', 'id')) AS id)
            INSERT INTO accounts (
                tenant_id, id, external_id, name, currency, parent_id, root_id, status, billing_day,
                payment_terms_days, bill_group, subscription_invoicer_id, usage_invoice_recipient_id, tax_account_id,
                tax_country, tax_vat_number, tax_exempt, tax_exemption_reason, address, timezone)
            OVERRIDING SYSTEM VALUE
            SELECT \(transaction.tenantID.rawValue), next.id, \(fields.externalID), \(fields.name), \(fields.currency),
                   \(parent?.id), coalesce(\(parent?.rootID), next.id), \(fields.status), \(settings.billingDay),
                   \(settings.paymentTermsDays), \(settings.billGroup), \(settings.subscriptionInvoicerID),
                   \(settings.usageInvoiceRecipientID), \(settings.taxAccountID), \(fields.taxCountry),
                   \(fields.taxVATNumber), \(fields.taxExempt), \(fields.taxExemptionReason), \(fields.address)::jsonb,
                   \(fields.timezone)
            FROM next
            RETURNING \(unescaped: AccountRecord.columns)
            """
        )
        return try AccountRecord(row: rows[0])
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> AccountRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AccountRecord.columns) FROM accounts WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        )
        return try rows.first.map(AccountRecord.init(row:))
    }

    public func find(externalID: String, forUpdate: Bool = false) async throws -> AccountRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AccountRecord.columns) FROM accounts WHERE external_id = \(externalID)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        )
        return try rows.first.map(AccountRecord.init(row:))
    }

    /// The accounts with these ids (any order).
    public func find(ids: [Int64]) async throws -> [AccountRecord] {
        let rows = try await connection.query(
            "SELECT \(unescaped: AccountRecord.columns) FROM accounts WHERE id = ANY(\(ids)::bigint[])"
        )
        return try rows.map(AccountRecord.init(row:))
    }

    /// The accounts with these ids, locked one after the other in id order (so that two callers
    /// locking overlapping sets cannot deadlock).
    public func lock(ids: [Int64]) async throws -> [AccountRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AccountRecord.columns) FROM accounts WHERE id = ANY(\(ids)::bigint[])
            ORDER BY id FOR NO KEY UPDATE
            """
        )
        return try rows.map(AccountRecord.init(row:))
    }

    /// The account and everything above it, from the root down (empty if there is no such
    /// account): one recursive query that looks up each parent by its key, however large the tenant.
    public func chain(endingAt id: Int64) async throws -> [AccountRecord] {
        try await chain(anchoredBy: "id", id)
    }

    /// The chain of the account with this external id, as `chain(endingAt:)`.
    public func chain(endingAtExternalID externalID: String) async throws -> [AccountRecord] {
        try await chain(anchoredBy: "external_id", externalID)
    }

    /// `column` is one of the two unique keys, named by the callers above, never by input.
    private func chain(anchoredBy column: String, _ key: some PostgresEncodable) async throws -> [AccountRecord] {
        let rows = try await connection.query(
            """
            WITH RECURSIVE up AS (
                SELECT a.*, 0 AS depth FROM accounts a WHERE a.\(unescaped: column) = \(key)
                UNION ALL
                SELECT p.*, up.depth + 1 FROM up
                CROSS JOIN LATERAL (SELECT * FROM accounts WHERE id = up.parent_id LIMIT 1) p
            )
            SELECT \(unescaped: AccountRecord.columns) FROM up ORDER BY depth DESC
            """
        )
        return try rows.map(AccountRecord.init(row:))
    }

    /// Every account of the hierarchies with these roots, in creation order: one indexed query.
    public func hierarchies(rootIDs: [Int64]) async throws -> [AccountRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AccountRecord.columns) FROM accounts
            WHERE root_id = ANY(\(rootIDs)::bigint[]) ORDER BY id
            """
        )
        return try rows.map(AccountRecord.init(row:))
    }

    /// The ids of the account and all accounts below it: one recursive query.
    public func subtreeIDs(of id: Int64) async throws -> [Int64] {
        let rows = try await connection.query(
            """
            WITH RECURSIVE down AS (
                SELECT id FROM accounts WHERE id = \(id)
                UNION ALL
                SELECT c.id FROM accounts c JOIN down ON c.parent_id = down.id
            )
            SELECT id FROM down
            """
        )
        return try rows.map { try $0.decode("id", as: Int64.self) }
    }

    /// Writes the caller's fields and bumps the version, if the stored version is still `version`;
    /// nil when it is not (someone else changed the account meanwhile).
    public func update(id: Int64, fields: Fields, version: Int) async throws -> AccountRecord? {
        let settings = fields.settings
        let rows = try await connection.query(
            """
            UPDATE accounts SET external_id = \(fields.externalID), name = \(fields.name),
                currency = \(fields.currency), status = \(fields.status), billing_day = \(settings.billingDay),
                payment_terms_days = \(settings.paymentTermsDays), bill_group = \(settings.billGroup),
                subscription_invoicer_id = \(settings.subscriptionInvoicerID),
                usage_invoice_recipient_id = \(settings.usageInvoiceRecipientID),
                tax_account_id = \(settings.taxAccountID), tax_country = \(fields.taxCountry),
                tax_vat_number = \(fields.taxVATNumber), tax_exempt = \(fields.taxExempt),
                tax_exemption_reason = \(fields.taxExemptionReason), address = \(fields.address)::jsonb,
                timezone = \(fields.timezone),
                closed_at = CASE WHEN \(fields.status) = 'closed' THEN coalesce(closed_at, now()) END,
                version = version + 1, updated_at = now()
            WHERE id = \(id) AND version = \(version)
            RETURNING \(unescaped: AccountRecord.columns)
            """
        )
        return try rows.first.map(AccountRecord.init(row:))
    }

    /// Hangs the account (with its subtree, whose root follows) under `parent`, or makes it a root.
    public func move(_ account: AccountRecord, under parent: AccountRecord?) async throws -> AccountRecord {
        let newRoot = parent?.rootID ?? account.id
        try await connection.execute(
            """
            WITH RECURSIVE down AS (
                SELECT id FROM accounts WHERE id = \(account.id)
                UNION ALL
                SELECT c.id FROM accounts c JOIN down ON c.parent_id = down.id
            )
            UPDATE accounts SET root_id = \(newRoot), version = version + 1, updated_at = now()
            WHERE id IN (SELECT id FROM down) AND id <> \(account.id) AND root_id <> \(newRoot)
            """
        )
        let rows = try await connection.query(
            """
            UPDATE accounts SET parent_id = \(parent?.id), root_id = \(newRoot), version = version + 1, updated_at = now()
            WHERE id = \(account.id)
            RETURNING \(unescaped: AccountRecord.columns)
            """
        )
        return try AccountRecord(row: rows[0])
    }

    /// Records a change of something derived from other rows (the billing contact) as a new version.
    public func touch(id: Int64) async throws -> AccountRecord {
        let rows = try await connection.query(
            """
            UPDATE accounts SET version = version + 1, updated_at = now() WHERE id = \(id)
            RETURNING \(unescaped: AccountRecord.columns)
            """
        )
        return try AccountRecord(row: rows[0])
    }

    /// Accounts in creation order, optionally children of a parent or members of a hierarchy.
    public func list(parentID: Int64?, rootID: Int64?, after: Int64?, limit: Int) async throws -> [AccountRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AccountRecord.columns) FROM accounts
            WHERE id > \(after ?? 0)
              AND (\(parentID)::bigint IS NULL OR parent_id = \(parentID))
              AND (\(rootID)::bigint IS NULL OR root_id = \(rootID))
            ORDER BY id LIMIT \(limit)
            """
        )
        return try rows.map(AccountRecord.init(row:))
    }

    /// Whether any account directly under `id` is not closed.
    public func hasOpenChildren(_ id: Int64) async throws -> Bool {
        try await !connection.query(
            "SELECT 1 FROM accounts WHERE parent_id = \(id) AND status <> 'closed' LIMIT 1"
        ).isEmpty
    }

    /// Accounts of `rootID`'s hierarchy outside `subtree` that name an account inside it as invoicer,
    /// usage recipient or tax account, or inside naming one outside: moving the subtree to another
    /// hierarchy would break these references.
    public func crossReferences(subtree: [Int64], rootID: Int64) async throws -> [Int64] {
        let rows = try await connection.query(
            """
            WITH moving AS (SELECT \(subtree)::bigint[] AS ids)
            SELECT a.id FROM accounts a, moving m
            WHERE a.root_id = \(rootID)
              AND ((a.subscription_invoicer_id = ANY(m.ids)) <> (a.id = ANY(m.ids))
                OR (a.usage_invoice_recipient_id = ANY(m.ids)) <> (a.id = ANY(m.ids))
                OR (a.tax_account_id = ANY(m.ids)) <> (a.id = ANY(m.ids)))
            ORDER BY a.id
            """
        )
        return try rows.map { try $0.decode("id", as: Int64.self) }
    }
}

extension AccountRepository {
    /// Records the account's first billing activity (an order): from then on its currency is locked.
    public func markBillingActivity(id: Int64) async throws {
        try await transaction.connection.execute(
            "UPDATE accounts SET billing_activity_at = now() WHERE id = \(id) AND billing_activity_at IS NULL"
        )
    }
}
