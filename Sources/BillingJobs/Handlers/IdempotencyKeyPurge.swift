import BillingStore

/// Deletes a tenant's idempotency keys once they are past the 24 hours they protect retries for,
/// so the table holds about one day of keys.
public struct IdempotencyKeyPurge: JobHandler {
    public static let kind = "maintenance.purge_idempotency_keys"
    public var kind: String { Self.kind }

    public init() {}

    public func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {
        _ = try await IdempotencyRepository(transaction).purgeExpired()
    }
}
