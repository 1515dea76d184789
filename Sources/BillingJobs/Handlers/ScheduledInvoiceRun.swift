import BillingServices
import BillingStore
import Foundation

/// Fired by an invoice scheduler's schedule: starts the occurrence's invoice run (once, however
/// often the job is retried) and runs it, or, split into partitions, queues their jobs.
public struct ScheduledInvoiceRun: JobHandler {
    public var kind: String { InvoiceSchedulerService.jobKind }

    public init() {}

    struct Payload: Decodable {
        let occurrence: String
        let targetOffsetDays: Int
        let autoPost: Bool
        let billGroup: String?
        let partitions: Int?

        enum CodingKeys: String, CodingKey {
            case occurrence, partitions
            case targetOffsetDays = "target_offset_days"
            case autoPost = "auto_post"
            case billGroup = "bill_group"
        }
    }

    public func prepare(_ job: JobRecord, store: BillingStore) async throws {
        let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
        let runID = try await store.inTenant(job.tenantID) { transaction in
            try await InvoiceRunService.startScheduled(
                origin: job.dedupKey ?? "job:\(job.id)", occurrence: payload.occurrence,
                offsetDays: payload.targetOffsetDays, autoPost: payload.autoPost, billGroup: payload.billGroup,
                partitions: payload.partitions ?? 1, in: transaction)
        }
        try await InvoiceRunner(store: store).run(runID, tenant: job.tenantID)
    }

    public func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {}
}
