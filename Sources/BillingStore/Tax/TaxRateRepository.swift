import BillingCore
import Postgres

/// A tenant's VAT rates. Two rates of one country, category and priority never overlap in time
/// (an exclusion constraint, SQLSTATE 23P01).
public struct TaxRateRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    public func insert(
        name: String?, country: String, taxCategory: String, rate: Decimal6, priority: Int, validFrom: CalendarDate,
        validTo: CalendarDate?
    ) async throws -> TaxRateRecord {
        try await connection.query(
            """
            INSERT INTO tax_rates (tenant_id, name, country, tax_category, rate, priority, valid_from, valid_to)
            VALUES (\(transaction.tenantID.rawValue), \(name), \(country), \(taxCategory), \(rate)::numeric,
                    \(priority), \(validFrom)::date, \(validTo)::date)
            RETURNING \(unescaped: TaxRateRecord.columns)
            """
        ).map(TaxRateRecord.init(row:))[0]
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> TaxRateRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: TaxRateRecord.columns) FROM tax_rates WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        ).first.map(TaxRateRecord.init(row:))
    }

    /// Writes name and end day, bumping the version, if the stored version is still `version`.
    public func update(id: Int64, name: String?, validTo: CalendarDate?, version: Int) async throws -> TaxRateRecord? {
        try await connection.query(
            """
            UPDATE tax_rates SET name = \(name), valid_to = \(validTo)::date, version = version + 1, updated_at = now()
            WHERE id = \(id) AND version = \(version)
            RETURNING \(unescaped: TaxRateRecord.columns)
            """
        ).first.map(TaxRateRecord.init(row:))
    }

    public func list(
        country: String?, taxCategory: String?, on day: CalendarDate?, after: Int64?, limit: Int
    ) async throws -> [TaxRateRecord] {
        try await connection.query(
            """
            SELECT \(unescaped: TaxRateRecord.columns) FROM tax_rates
            WHERE id > \(after ?? 0) AND (\(country)::text IS NULL OR country = \(country))
              AND (\(taxCategory)::text IS NULL OR tax_category = \(taxCategory))
              AND (\(day)::date IS NULL OR (valid_from <= \(day)::date AND (valid_to IS NULL OR valid_to >= \(day)::date)))
            ORDER BY id LIMIT \(limit)
            """
        ).map(TaxRateRecord.init(row:))
    }
}

extension TaxRateRepository {
    /// Every rate in effect on `day`, keyed `country/category`, lowest priority first: what an
    /// invoice run of that day taxes with.
    public func inEffect(on day: CalendarDate) async throws -> [String: [TaxCalculation.Rate]] {
        let rows = try await transaction.connection.query(
            """
            SELECT country, tax_category, rate::text AS rate, priority FROM tax_rates
            WHERE valid_from <= \(day)::date AND (valid_to IS NULL OR valid_to >= \(day)::date)
            ORDER BY country, tax_category, priority
            """
        )
        var rates: [String: [TaxCalculation.Rate]] = [:]
        for row in rows {
            let country: String = try row.decode("country")
            let category: String = try row.decode("tax_category")
            rates["\(country)/\(category)", default: []].append(
                TaxCalculation.Rate(
                    category: category, percent: try row.decode("rate"), priority: try row.decode("priority")))
        }
        return rates
    }
}
