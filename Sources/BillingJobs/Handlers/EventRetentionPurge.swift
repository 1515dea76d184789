import BillingServices
import BillingStore
import Foundation

/// Deletes a tenant's events older than the retention, every day: the stream keeps that many days
/// of history (`LEDGERLINE_EVENT_RETENTION_DAYS`, 90 by default) for consumers to catch up.
public struct EventRetentionPurge: JobHandler {
    public static let kind = "events.purge"
    public var kind: String { Self.kind }

    /// Days of events kept.
    let retentionDays: Int

    public init(retentionDays: Int = EventRetentionPurge.configuredDays()) {
        self.retentionDays = retentionDays
    }

    /// `LEDGERLINE_EVENT_RETENTION_DAYS` when it is a whole number of days from 1, else 90.
    public static func configuredDays(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        RetentionDays.configured("LEDGERLINE_EVENT_RETENTION_DAYS", default: 90, in: environment)
    }

    public func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {
        _ = try await EventService.purge(olderThan: retentionDays, in: transaction)
    }
}
