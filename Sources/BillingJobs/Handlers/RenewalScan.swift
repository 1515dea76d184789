import BillingServices
import BillingStore

/// Makes each day's renewal opportunities (BILLING.md §11): orders ending within the tenant's
/// renewal lead get theirs; an order that has one gets no other.
public struct RenewalScan: JobHandler {
    public static let kind = "renewals.scan"
    public var kind: String { Self.kind }

    public init() {}

    public func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {
        _ = try await RenewalService.scan(asOf: try await transaction.today(), in: transaction)
    }
}
