import BillingCore
import BillingProtocol
import BillingServices
import Logging

/// What a method handler knows about the request it serves.
public struct RequestContext: Sendable {
    public let requestID: String
    public let identity: SessionIdentity?
    public let logger: Logger

    /// The tenant of a tenant session; the dispatcher has already refused operator sessions for
    /// tenant methods, so this only fails on a programming error in the method table.
    public func tenantID() throws -> TenantID {
        guard case .tenant(let tenant, _)? = identity else {
            throw RPCError(.forbidden, "this method acts for a tenant; say hello with an API key")
        }
        return tenant
    }
}
