import BillingCore
import NIOConcurrencyHelpers

/// Bounds the requests one tenant has in flight across all its connections, so that a tenant
/// flooding the server gets `overloaded` at once instead of queueing ahead of every other tenant
/// for the database pool.
final class TenantAdmission: Sendable {
    private let limit: Int
    private let inFlight = NIOLockedValueBox<[TenantID: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot for the tenant; false when it already has `limit` requests in flight.
    func enter(_ tenant: TenantID) -> Bool {
        inFlight.withLockedValue { counts in
            let running = counts[tenant, default: 0]
            guard running < limit else { return false }
            counts[tenant] = running + 1
            return true
        }
    }

    func leave(_ tenant: TenantID) {
        inFlight.withLockedValue { counts in
            let running = counts[tenant, default: 1] - 1
            counts[tenant] = running > 0 ? running : nil
        }
    }
}
