import BillingCore
import BillingProtocol
import BillingStore

/// The reporting views DBAs query (docs/reports.md), served to partners: the tenant's rows of one
/// view, filtered by column values, a page at a time.
public struct ReportService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func run(_ params: ReportsRun.Params, tenant: TenantID) async throws -> ReportsRun.Result {
        let limit = try Paging.limit(params.limit)
        let offset = try Paging.after(params.cursor).map(Int.init) ?? 0
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let reports = ReportRepository(transaction)
            let views = try await reports.views()
            guard let columns = views[params.name] else {
                throw ValidationFailure(
                    reason: "unknown_report", field: "name",
                    message: "no report \(params.name); the reports are \(views.keys.sorted().joined(separator: ", "))")
            }
            let filters = try (params.filters ?? [:]).sorted { $0.key < $1.key }.map { column, value in
                guard columns.contains(column), column != "tenant_id" else {
                    throw ValidationFailure(
                        reason: "unknown_column", field: "filters.\(column)",
                        message: "report \(params.name) has no column \(column)")
                }
                return (column: column, value: value)
            }
            let rows = try await reports.rows(
                of: params.name, columns: columns, filters: filters, offset: offset, limit: limit + 1)
            let shown = columns.filter { $0 != "tenant_id" }
            return .init(
                name: params.name, columns: shown,
                rows: rows.prefix(limit).map { row in
                    var visible = row
                    visible["tenant_id"] = nil
                    return visible
                },
                nextCursor: rows.count > limit ? String(offset + limit) : nil)
        }
    }
}
