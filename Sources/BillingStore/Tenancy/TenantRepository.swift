import BillingCore
import Postgres

/// Tenants, as the operator manages them.
public struct TenantRepository: Sendable {
    let transaction: OperatorTransaction

    public init(_ transaction: OperatorTransaction) {
        self.transaction = transaction
    }

    public struct NewTenant: Sendable {
        public var name: String
        public var defaultCurrency: Currency
        public var timezone: String
        public var legalEntityName: String
        public var legalEntityCountry: CountryCode
        public var legalEntityVATNumber: String?
        /// JSON object text.
        public var legalEntityAddress: String?

        public init(
            name: String,
            defaultCurrency: Currency,
            timezone: String,
            legalEntityName: String,
            legalEntityCountry: CountryCode,
            legalEntityVATNumber: String?,
            legalEntityAddress: String? = nil
        ) {
            self.name = name
            self.defaultCurrency = defaultCurrency
            self.timezone = timezone
            self.legalEntityName = legalEntityName
            self.legalEntityCountry = legalEntityCountry
            self.legalEntityVATNumber = legalEntityVATNumber
            self.legalEntityAddress = legalEntityAddress
        }
    }

    /// Stores a tenant and the counter its event stream numbers events with.
    public func insert(_ tenant: NewTenant) async throws -> TenantRecord {
        let rows = try await transaction.connection.query(
            """
            INSERT INTO tenants (name, default_currency, timezone, legal_entity_name, legal_entity_country,
                                 legal_entity_vat_number, legal_entity_address)
            VALUES (\(tenant.name), \(tenant.defaultCurrency.code), \(tenant.timezone), \(tenant.legalEntityName),
                    \(tenant.legalEntityCountry.code), \(tenant.legalEntityVATNumber), \(tenant.legalEntityAddress)::jsonb)
            RETURNING \(unescaped: TenantRecord.columns)
            """
        )
        let record = try TenantRecord(row: rows[0])
        let scoped = try await transaction.actingFor(record.id)
        try await scoped.connection.execute(
            "INSERT INTO event_sequences (tenant_id) VALUES (\(record.id.rawValue))"
        )
        return record
    }

    public func find(_ id: TenantID) async throws -> TenantRecord? {
        let rows = try await transaction.connection.query(
            "SELECT \(unescaped: TenantRecord.columns) FROM tenants WHERE id = \(id.rawValue)"
        )
        return try rows.first.map(TenantRecord.init(row:))
    }

    /// Tenants in creation order, after `afterID` when paging.
    public func list(after afterID: TenantID?, limit: Int) async throws -> [TenantRecord] {
        let rows = try await transaction.connection.query(
            """
            SELECT \(unescaped: TenantRecord.columns) FROM tenants
            WHERE id > \(afterID?.rawValue ?? 0) ORDER BY id LIMIT \(limit)
            """
        )
        return try rows.map(TenantRecord.init(row:))
    }
}
