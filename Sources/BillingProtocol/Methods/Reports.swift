import BillingCore

/// `reports.run`: a reporting view (sql/reports/, docs/reports.md) read over the protocol, the
/// tenant's rows only, a page at a time.
public enum ReportsRun: RPCMethod {
    public static let name = "reports.run"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        /// The view: invoice_register, items_to_invoice, billing_forecast, active_recurring_items,
        /// mrr, arr, ar_aging, tax_summary, renewals_due, usage_by_metric or account_tree.
        public var name: String
        /// Rows whose column equals the value (compared as text), e.g. `{"account_id": "12"}`.
        public var filters: [String: String]?
        /// 1–1000, default 100.
        public var limit: Int?
        public var cursor: String?

        public init(name: String, filters: [String: String]? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.name = name
            self.filters = filters
            self.limit = limit
            self.cursor = cursor
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let name: String
        /// The view's columns, in order (`tenant_id` left out).
        public let columns: [String]
        /// Each row as column → value, every value text (decimals exact) or null.
        public let rows: [[String: String?]]
        public let nextCursor: String?

        public init(name: String, columns: [String], rows: [[String: String?]], nextCursor: String?) {
            self.name = name
            self.columns = columns
            self.rows = rows
            self.nextCursor = nextCursor
        }

        enum CodingKeys: String, CodingKey {
            case name, columns, rows
            case nextCursor = "next_cursor"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(columns, forKey: .columns)
            try container.encode(rows, forKey: .rows)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }
}
