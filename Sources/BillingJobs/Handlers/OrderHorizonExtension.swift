import BillingServices
import BillingStore

/// Keeps open-ended recurring items billed a rolling twelve months ahead: each day it writes the
/// periods that have come within the horizon (periods already written are skipped).
public struct OrderHorizonExtension: JobHandler {
    public static let kind = "orders.extend_horizon"
    public var kind: String { Self.kind }

    public init() {}

    public func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {
        _ = try await OrderService.extendHorizons(in: transaction)
    }
}
