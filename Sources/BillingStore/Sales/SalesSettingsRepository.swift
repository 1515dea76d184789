import BillingCore
import Foundation
import Postgres

/// A tenant's sales settings: one row, written on first change.
public struct SalesSettingsRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// The tenant's settings (the defaults when none are saved), locked when `forUpdate`.
    public func current(forUpdate: Bool = false) async throws -> SalesSettingsRecord {
        try await connection.query(
            """
            SELECT \(unescaped: SalesSettingsRecord.columns) FROM sales_settings
            \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """
        ).first.map(SalesSettingsRecord.init(row:)) ?? .defaults
    }

    /// Saves the settings as the next version after `settings.version`; nil when another change
    /// saved that version first.
    public func save(_ settings: SalesSettingsRecord) async throws -> SalesSettingsRecord? {
        let stages = String(decoding: try JSONEncoder().encode(settings.stages), as: UTF8.self)
        return try await connection.query(
            """
            INSERT INTO sales_settings AS s (tenant_id, stages, create_order_on_won, renewal_lead_days, renewal_pricing,
                renewal_uplift_percent, renewal_auto_quote, quote_validity_days, version)
            VALUES (\(transaction.tenantID.rawValue), \(stages)::jsonb, \(settings.createOrderOnWon),
                    \(settings.renewalLeadDays), \(settings.renewalPricing), \(settings.renewalUpliftPercent)::numeric,
                    \(settings.renewalAutoQuote), \(settings.quoteValidityDays), \(settings.version + 1))
            ON CONFLICT (tenant_id) DO UPDATE SET stages = excluded.stages,
                create_order_on_won = excluded.create_order_on_won, renewal_lead_days = excluded.renewal_lead_days,
                renewal_pricing = excluded.renewal_pricing, renewal_uplift_percent = excluded.renewal_uplift_percent,
                renewal_auto_quote = excluded.renewal_auto_quote, quote_validity_days = excluded.quote_validity_days,
                version = excluded.version, updated_at = now()
            WHERE s.version = \(settings.version)
            RETURNING \(unescaped: SalesSettingsRecord.columns)
            """
        ).first.map(SalesSettingsRecord.init(row:))
    }

    /// How many of the tenant's opportunities are in each of these stages.
    public func opportunitiesIn(stages: [String]) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await connection.query(
            """
            SELECT stage, count(*)::bigint AS n FROM opportunities WHERE stage = ANY(\(stages)::text[]) GROUP BY stage
            """
        ) {
            counts[try row.decode("stage", as: String.self)] = Int(try row.decode("n", as: Int64.self))
        }
        return counts
    }
}
