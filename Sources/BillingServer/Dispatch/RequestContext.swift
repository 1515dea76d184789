import BillingCore
import BillingProtocol
import BillingServices
import Logging

/// What a method handler knows about the request it serves.
public struct RequestContext: Sendable {
    public let requestID: String
    public let identity: SessionIdentity?
    public let logger: Logger
    /// The connection's event pushes, when the server has an event feed.
    let events: SessionEvents?

    init(requestID: String, identity: SessionIdentity?, logger: Logger, events: SessionEvents? = nil) {
        self.requestID = requestID
        self.identity = identity
        self.logger = logger
        self.events = events
    }

    /// The tenant of a tenant session; the dispatcher refuses operator sessions for tenant methods
    /// before a handler runs, so this fails only if the method table names the wrong access.
    public func tenantID() throws -> TenantID {
        guard case .tenant(let tenant, _)? = identity else {
            throw RPCError(.forbidden, "this method acts for a tenant; say hello with an API key")
        }
        return tenant
    }
}
