import BillingStore
import Foundation

/// Deletes a tenant's completed jobs finished longer ago than the retention, every day, so the
/// queue table holds weeks of history rather than every job ever run. Dead jobs stay until someone
/// retries them (`jobs.retry`).
public struct JobRetentionPurge: JobHandler {
    public static let kind = "maintenance.purge_jobs"
    public var kind: String { Self.kind }

    /// Days completed jobs are kept.
    let retentionDays: Int

    public init(retentionDays: Int = JobRetentionPurge.configuredDays()) {
        self.retentionDays = retentionDays
    }

    /// `LEDGERLINE_JOB_RETENTION_DAYS` when it is a whole number of days from 1, else 30.
    public static func configuredDays(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        RetentionDays.configured("LEDGERLINE_JOB_RETENTION_DAYS", default: 30, in: environment)
    }

    public func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {
        _ = try await JobRepository(transaction).purgeCompleted(olderThanDays: retentionDays)
    }
}
