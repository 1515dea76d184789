import BillingStore

/// The work of one kind of job.
///
/// `run` gets the transaction of the job's tenant in which the job is then marked completed, so
/// what it writes there commits exactly once: if the worker lost the job's lease meanwhile, all of
/// it is rolled back. Running a job again after a failure must have the effect of running it once.
public protocol JobHandler: Sendable {
    /// The `kind` of the jobs it runs, e.g. `maintenance.purge_idempotency_keys`.
    var kind: String { get }

    func run(_ job: JobRecord, in transaction: TenantTransaction) async throws

    /// Work done before `run`, in as many transactions of its own as it needs (an invoice run's
    /// batches). It must be safe to repeat: after a crash the job runs again from the start.
    func prepare(_ job: JobRecord, store: BillingStore) async throws
}

extension JobHandler {
    public func prepare(_ job: JobRecord, store: BillingStore) async throws {}
}
