import BillingServices
import Logging

/// What a method handler knows about the request it serves.
public struct RequestContext: Sendable {
    public let requestID: String
    public let identity: SessionIdentity?
    public let logger: Logger

}
