import BillingServices
import BillingStore

/// Runs one partition of an invoice run split by `invoice_runs.start`'s `partitions`: any worker
/// process may take it, so the partitions of one run are invoiced at once. Like the whole run, it
/// commits batch by batch and resumes after the last one after a crash.
public struct InvoiceRunPartitionJob: JobHandler {
    public var kind: String { InvoiceRunService.partitionJobKind }

    public init() {}

    public func prepare(_ job: JobRecord, store: BillingStore) async throws {
        let named = try InvoiceRunService.partition(ofJobPayload: job.payload)
        try await InvoiceRunner(store: store).run(named.runID, partition: named.partition, tenant: job.tenantID)
    }

    public func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {}
}
