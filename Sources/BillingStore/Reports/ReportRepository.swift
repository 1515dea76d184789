import Foundation
import Postgres

/// Reads the reporting views (schema `reporting`) under the tenant's row-level security.
public struct ReportRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    /// The columns of each reporting view, in order.
    public func views() async throws -> [String: [String]] {
        var views: [String: [String]] = [:]
        for row in try await connection.query(
            """
            SELECT c.table_name AS view, c.column_name AS name FROM information_schema.columns c
            JOIN information_schema.views v ON v.table_schema = c.table_schema AND v.table_name = c.table_name
            WHERE c.table_schema = 'reporting' ORDER BY c.table_name, c.ordinal_position
            """
        ) {
            views[try row.decode("view", as: String.self), default: []].append(try row.decode("name"))
        }
        return views
    }

    /// Up to `limit` rows of `view` after the first `offset` (in the order of all its columns),
    /// where each filtered column equals its value as text; each row as column → text or null.
    /// `view` and `columns` must be names `views()` returned.
    public func rows(
        of view: String, columns: [String], filters: [(column: String, value: String)], offset: Int, limit: Int
    ) async throws -> [[String: String?]] {
        let order = columns.map { "v.\"\($0)\"" }.joined(separator: ", ")
        return try await connection.query(
            """
            SELECT (SELECT jsonb_object_agg(key, value) FROM jsonb_each_text(to_jsonb(v)))::text AS row
            FROM reporting.\(unescaped: view) AS v
            WHERE coalesce((SELECT bool_and(coalesce(to_jsonb(v) ->> f.name = f.value, false))
                            FROM unnest(\(filters.map(\.column))::text[], \(filters.map(\.value))::text[])
                                 AS f(name, value)), true)
            ORDER BY \(unescaped: order) LIMIT \(limit) OFFSET \(offset)
            """
        ).map { row in
            try JSONDecoder().decode([String: String?].self, from: Data(try row.decode("row", as: String.self).utf8))
        }
    }
}
