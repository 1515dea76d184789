import BillingServices
import BillingStore

/// Runs an invoice run started by `invoice_runs.start` (or a scheduler). The run's batches commit
/// one by one in `prepare`; a rerun after a crash resumes after the last committed batch.
public struct InvoiceRunJob: JobHandler {
    public var kind: String { InvoiceRunService.jobKind }

    public init() {}

    public func prepare(_ job: JobRecord, store: BillingStore) async throws {
        try await InvoiceRunner(store: store).run(
            try InvoiceRunService.runID(ofJobPayload: job.payload), tenant: job.tenantID)
    }

    public func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {}
}
