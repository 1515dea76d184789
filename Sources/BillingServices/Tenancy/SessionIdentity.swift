import BillingCore

/// Who a session acts for after a successful hello.
public enum SessionIdentity: Sendable, Equatable {
    case `operator`
    case tenant(TenantID, apiKey: String)
}
