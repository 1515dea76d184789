import BillingStore

/// A schedule every tenant has, added by the scheduler to tenants that lack it.
public struct BuiltInSchedule: Sendable {
    public let definition: NewSchedule

    public init(_ definition: NewSchedule) {
        self.definition = definition
    }

    /// Every built-in schedule of this version.
    public static let all: [BuiltInSchedule] = [
        BuiltInSchedule(
            NewSchedule(
                name: "purge-idempotency-keys", jobKind: IdempotencyKeyPurge.kind, cadence: "daily",
                secondOfDay: 3 * 3600)),
        BuiltInSchedule(
            NewSchedule(
                name: "extend-order-horizons", jobKind: OrderHorizonExtension.kind, cadence: "daily",
                secondOfDay: 1 * 3600)),
        BuiltInSchedule(
            NewSchedule(
                name: "scan-renewals", jobKind: RenewalScan.kind, cadence: "daily", secondOfDay: 2 * 3600)),
        BuiltInSchedule(
            NewSchedule(
                name: "purge-events", jobKind: EventRetentionPurge.kind, cadence: "daily", secondOfDay: 4 * 3600)),
        BuiltInSchedule(
            NewSchedule(
                name: "purge-jobs", jobKind: JobRetentionPurge.kind, cadence: "daily", secondOfDay: 5 * 3600)),
    ]
}
