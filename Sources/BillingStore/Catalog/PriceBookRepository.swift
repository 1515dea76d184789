import Postgres

/// A tenant's price books.
public struct PriceBookRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    public func insert(
        name: String, currency: String, externalID: String?, isDefault: Bool
    ) async throws
        -> PriceBookRecord
    {
        let rows = try await connection.query(
            """
            INSERT INTO price_books (tenant_id, name, currency, external_id, is_default)
            VALUES (\(transaction.tenantID.rawValue), \(name), \(currency), \(externalID), \(isDefault))
            RETURNING \(unescaped: PriceBookRecord.columns)
            """
        )
        return try PriceBookRecord(row: rows[0])
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> PriceBookRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: PriceBookRecord.columns) FROM price_books WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        )
        return try rows.first.map(PriceBookRecord.init(row:))
    }

    public func find(externalID: String) async throws -> PriceBookRecord? {
        let rows = try await connection.query(
            "SELECT \(unescaped: PriceBookRecord.columns) FROM price_books WHERE external_id = \(externalID)"
        )
        return try rows.first.map(PriceBookRecord.init(row:))
    }

    /// Takes the default role away from the currency's default book (other than `keeping`) and
    /// returns that book's new state. Holds the currency's default lock until the transaction ends,
    /// so the caller can then give the role to another book without a race.
    public func clearDefault(of currency: String, keeping: Int64? = nil) async throws -> PriceBookRecord? {
        try await transaction.lock("default-price-book:" + currency)
        return try await connection.query(
            """
            UPDATE price_books SET is_default = false, version = version + 1, updated_at = now()
            WHERE currency = \(currency) AND is_default AND id <> \(keeping ?? 0)
            RETURNING \(unescaped: PriceBookRecord.columns)
            """
        ).first.map(PriceBookRecord.init(row:))
    }

    /// Writes name, external id and the default flag, bumping the version, if the stored version is
    /// still `version`; nil otherwise.
    public func update(
        id: Int64, name: String, externalID: String?, isDefault: Bool, version: Int
    ) async throws
        -> PriceBookRecord?
    {
        let rows = try await connection.query(
            """
            UPDATE price_books SET name = \(name), external_id = \(externalID), is_default = \(isDefault),
                version = version + 1, updated_at = now()
            WHERE id = \(id) AND version = \(version)
            RETURNING \(unescaped: PriceBookRecord.columns)
            """
        )
        return try rows.first.map(PriceBookRecord.init(row:))
    }

    public func list(currency: String?, after: Int64?, limit: Int) async throws -> [PriceBookRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: PriceBookRecord.columns) FROM price_books
            WHERE id > \(after ?? 0) AND (\(currency)::text IS NULL OR currency = \(currency))
            ORDER BY id LIMIT \(limit)
            """
        )
        return try rows.map(PriceBookRecord.init(row:))
    }
}
