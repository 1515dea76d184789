import Postgres

/// A tenant's products and their services.
public struct ProductRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    public func insert(code: String, name: String, externalID: String?) async throws -> ProductRecord {
        let rows = try await connection.query(
            """
            INSERT INTO products (tenant_id, code, name, external_id)
            VALUES (\(transaction.tenantID.rawValue), \(code), \(name), \(externalID))
            RETURNING \(unescaped: ProductRecord.columns)
            """
        )
        return try ProductRecord(row: rows[0])
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> ProductRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: ProductRecord.columns) FROM products WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        )
        return try rows.first.map(ProductRecord.init(row:))
    }

    public func find(externalID: String, forUpdate: Bool = false) async throws -> ProductRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: ProductRecord.columns) FROM products WHERE external_id = \(externalID)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        )
        return try rows.first.map(ProductRecord.init(row:))
    }

    /// Writes code, name and external id and bumps the version if it is still `version`; nil otherwise.
    public func update(
        id: Int64, code: String, name: String, externalID: String?, version: Int
    ) async throws
        -> ProductRecord?
    {
        let rows = try await connection.query(
            """
            UPDATE products SET code = \(code), name = \(name), external_id = \(externalID),
                version = version + 1, updated_at = now()
            WHERE id = \(id) AND version = \(version)
            RETURNING \(unescaped: ProductRecord.columns)
            """
        )
        return try rows.first.map(ProductRecord.init(row:))
    }

    /// Makes the product's services exactly `services`, in this order: services that stay are
    /// updated in place (prices refer to them), the others deleted or added.
    public func replaceServices(of productID: Int64, with services: [ProductServiceRecord]) async throws {
        try await connection.execute(
            """
            DELETE FROM product_services
            WHERE product_id = \(productID) AND NOT (code = ANY(\(services.map(\.code))::text[]))
            """
        )
        try await connection.execute(
            """
            INSERT INTO product_services (tenant_id, product_id, code, name, kind, tax_category, unit, pricing_model, position)
            SELECT \(transaction.tenantID.rawValue), \(productID), s.code, s.name, s.kind, s.tax_category, s.unit,
                   s.pricing_model, s.position
            FROM unnest(\(services.map(\.code))::text[], \(services.map(\.name))::text[], \(services.map(\.kind))::text[],
                        \(services.map(\.taxCategory))::text[], \(services.map(\.unit))::text[],
                        \(services.map(\.pricingModel))::text[])
                 WITH ORDINALITY AS s(code, name, kind, tax_category, unit, pricing_model, position)
            ON CONFLICT (tenant_id, product_id, code) DO UPDATE SET
                name = excluded.name, kind = excluded.kind, tax_category = excluded.tax_category,
                unit = excluded.unit, pricing_model = excluded.pricing_model, position = excluded.position
            """
        )
    }

    /// Locks these products against a change of their services until the transaction ends (a
    /// product update waits, then sees the prices added meanwhile).
    public func lockForPricing(_ ids: [Int64]) async throws {
        try await connection.execute("SELECT id FROM products WHERE id = ANY(\(ids)::bigint[]) FOR SHARE")
    }

    /// The services of these products, each product's in its order.
    public func services(of productIDs: [Int64]) async throws -> [Int64: [ProductServiceRecord]] {
        let rows = try await connection.query(
            """
            SELECT product_id, code, name, kind, tax_category, unit, pricing_model FROM product_services
            WHERE product_id = ANY(\(productIDs)::bigint[]) ORDER BY product_id, position
            """
        )
        var services: [Int64: [ProductServiceRecord]] = [:]
        for row in rows {
            services[try row.decode("product_id"), default: []].append(
                ProductServiceRecord(
                    code: try row.decode("code"),
                    name: try row.decode("name"),
                    kind: try row.decode("kind"),
                    taxCategory: try row.decode("tax_category"),
                    unit: try row.decode("unit"),
                    pricingModel: try row.decode("pricing_model")
                )
            )
        }
        return services
    }

    public func list(after: Int64?, limit: Int) async throws -> [ProductRecord] {
        let rows = try await connection.query(
            "SELECT \(unescaped: ProductRecord.columns) FROM products WHERE id > \(after ?? 0) ORDER BY id LIMIT \(limit)"
        )
        return try rows.map(ProductRecord.init(row:))
    }
}
