import BillingCore
import Postgres

/// A tenant's prices: the entries of price books and of accounts' price plans, and the one lookup
/// that decides which of them prices a service for an account on a day.
public struct PriceRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// Adds the entries that do not exist yet, in one statement, and returns the entry now stored
    /// at each one's place (book or account, service, currency, day), new or not, in input order.
    /// Nothing is overwritten: the caller compares an older entry with what it asked for.
    public func add(_ prices: [NewPrice]) async throws -> [(record: PriceRecord, isNew: Bool)] {
        guard !prices.isEmpty else { return [] }
        let tiers = try prices.map { try $0.terms.tiersJSON }
        let inserted = try await connection.query(
            """
            INSERT INTO prices (tenant_id, price_book_id, account_id, product_id, service_code, currency,
                pricing_model, unit_price, package_size, included_quantity, frequency, tiers, effective_from)
            SELECT \(transaction.tenantID.rawValue), p.book, p.account, p.product, p.service, p.currency, p.model,
                   p.unit_price, p.package_size, p.included, p.frequency, p.tiers::jsonb,
                   coalesce(p.effective_from, tenant_today())
            FROM unnest(\(prices.map(\.priceBookID))::bigint[], \(prices.map(\.accountID))::bigint[],
                        \(prices.map(\.productID))::bigint[], \(prices.map(\.serviceCode))::text[],
                        \(prices.map(\.currency))::text[], \(prices.map(\.terms.model.name))::text[],
                        \(prices.map(\.terms.model.unitPrice))::numeric[],
                        \(prices.map(\.terms.model.packageSize))::numeric[],
                        \(prices.map(\.terms.includedQuantity))::numeric[],
                        \(prices.map { $0.terms.frequency?.rawValue })::text[], \(tiers)::text[],
                        \(prices.map(\.effectiveFrom))::date[])
                 WITH ORDINALITY AS p(book, account, product, service, currency, model, unit_price, package_size,
                                      included, frequency, tiers, effective_from, position)
            ORDER BY p.position
            ON CONFLICT DO NOTHING
            RETURNING id
            """
        )
        let newIDs = Set(try inserted.map { try $0.decode("id", as: Int64.self) })
        let rows = try await connection.query(
            """
            SELECT k.position, \(unescaped: PriceRecord.columns)
            FROM unnest(\(prices.map(\.priceBookID))::bigint[], \(prices.map(\.accountID))::bigint[],
                        \(prices.map(\.productID))::bigint[], \(prices.map(\.serviceCode))::text[],
                        \(prices.map(\.currency))::text[], \(prices.map(\.effectiveFrom))::date[])
                 WITH ORDINALITY AS k(k_book, k_account, k_product, k_service, k_currency, k_from, position)
            JOIN prices ON product_id = k_product AND service_code = k_service
                AND effective_from = coalesce(k_from, tenant_today())
                AND (price_book_id = k_book OR (account_id = k_account AND currency = k_currency))
            ORDER BY k.position
            """
        )
        return try rows.map { row in
            let record = try PriceRecord(row: row)
            return (record, newIDs.contains(record.id))
        }
    }

    /// Entries of one book, or of plans (one account's when given), history included, in creation order.
    public func list(
        priceBookID: Int64? = nil, accountID: Int64? = nil, productID: Int64?, after: Int64?, limit: Int
    ) async throws
        -> [PriceRecord]
    {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: PriceRecord.columns) FROM prices
            WHERE id > \(after ?? 0)
              AND (\(priceBookID)::bigint IS NULL OR price_book_id = \(priceBookID))
              AND (\(priceBookID)::bigint IS NOT NULL OR account_id IS NOT NULL)
              AND (\(accountID)::bigint IS NULL OR account_id = \(accountID))
              AND (\(productID)::bigint IS NULL OR product_id = \(productID))
            ORDER BY id LIMIT \(limit)
            """
        )
        return try rows.map(PriceRecord.init(row:))
    }

    /// For every service with a negotiated price in `currency` on `day` along `chain` (the account
    /// first, then its parent, up to the root), the price of the nearest account that has one.
    public func plan(chain: [Int64], currency: String, on day: CalendarDate) async throws -> [PriceRecord] {
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (product_id, service_code) \(unescaped: PriceRecord.columns)
            FROM prices JOIN unnest(\(chain)::bigint[]) WITH ORDINALITY AS c(c_account, depth) ON account_id = c_account
            WHERE currency = \(currency) AND effective_from <= \(day)
            ORDER BY product_id, service_code, depth, effective_from DESC
            """
        )
        return try rows.map(PriceRecord.init(row:))
    }

    /// One service to price: which, and on which day.
    public struct Wanted: Sendable, Equatable {
        public var productID: Int64
        public var serviceCode: String
        public var day: CalendarDate

        public init(productID: Int64, serviceCode: String, day: CalendarDate) {
            self.productID = productID
            self.serviceCode = serviceCode
            self.day = day
        }
    }

    /// The price lookup, for many services at once (one query): for each, the negotiated price of
    /// the nearest account along `chain` (the account first, up to the root), else the entry of
    /// `priceBookID`, else the entry of the default book of `currency`; each the latest entry in
    /// `currency` that is in effect on the wanted day. nil where there is none.
    public func lookup(
        _ wanted: [Wanted], chain: [Int64], currency: String, priceBookID: Int64?
    ) async throws
        -> [(record: PriceRecord, source: PriceSource)?]
    {
        guard !wanted.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (k.position) k.position, m.source, \(unescaped: PriceRecord.columns)
            FROM unnest(\(wanted.map(\.productID))::bigint[], \(wanted.map(\.serviceCode))::text[],
                        \(wanted.map(\.day))::date[])
                 WITH ORDINALITY AS k(k_product, k_service, k_day, position)
            JOIN LATERAL (
                SELECT 'price_plan' AS source, 0 AS rank, c.depth, p.* FROM prices p
                JOIN unnest(\(chain)::bigint[]) WITH ORDINALITY AS c(c_account, depth) ON p.account_id = c.c_account
                WHERE p.product_id = k_product AND p.service_code = k_service AND p.currency = \(currency)
                  AND p.effective_from <= k_day
                UNION ALL
                SELECT 'price_book', 1, 0, p.* FROM prices p
                WHERE p.price_book_id = \(priceBookID) AND p.product_id = k_product AND p.service_code = k_service
                  AND p.currency = \(currency) AND p.effective_from <= k_day
                UNION ALL
                SELECT 'default_price_book', 2, 0, p.* FROM prices p
                JOIN price_books b ON b.id = p.price_book_id AND b.is_default AND b.currency = \(currency)
                WHERE p.product_id = k_product AND p.service_code = k_service AND p.effective_from <= k_day
            ) m ON true
            ORDER BY k.position, m.rank, m.depth, m.effective_from DESC
            """
        )
        var found: [(record: PriceRecord, source: PriceSource)?] = Array(repeating: nil, count: wanted.count)
        for row in rows {
            let position: Int = try row.decode("position")
            guard let source = PriceSource(rawValue: try row.decode("source")) else { continue }
            found[position - 1] = (try PriceRecord(row: row), source)
        }
        return found
    }

    /// Which of these services of the product have a price or are on an order.
    public func pricedServices(of productID: Int64, among codes: [String]) async throws -> Set<String> {
        let rows = try await connection.query(
            """
            SELECT service_code FROM prices WHERE product_id = \(productID) AND service_code = ANY(\(codes)::text[])
            UNION
            SELECT service_code FROM order_items WHERE product_id = \(productID) AND service_code = ANY(\(codes)::text[])
            """
        )
        return Set(try rows.map { try $0.decode("service_code", as: String.self) })
    }
}
