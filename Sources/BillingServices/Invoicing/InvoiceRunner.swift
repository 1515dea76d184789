import BillingCore
import BillingStore
import Logging

/// Runs an invoice run (BILLING.md §9) in batches of hierarchies, each batch one transaction: it
/// locks the due transactions of the batch (skipping those another run holds), composes the
/// documents with BillingCore and writes them in a few multi-row statements, then records its
/// progress. A run that dies resumes after its last finished batch; a transaction is never billed
/// twice because only pending ones are locked and written, and a batch commits whole or not at all.
public struct InvoiceRunner: Sendable {
    let store: BillingStore
    /// Hierarchies per batch: memory stays flat however large the run.
    let batchSize: Int

    public init(store: BillingStore, batchSize: Int = 200) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Runs (or resumes) the run until every due hierarchy is done. A run split into partitions
    /// rates its usage here, once, then leaves the invoicing to one job per partition.
    public func run(_ runID: Int64, tenant: TenantID) async throws {
        let run = try await store.inTenant(tenant) { transaction in
            let runs = InvoiceRunRepository(transaction)
            guard let run = try await runs.find(id: runID, forUpdate: true) else {
                throw InvoiceRunMissing(runID: runID)
            }
            if run.status != "completed" { try await runs.markRunning(id: runID) }
            return run
        }
        guard run.status != "completed" else { return }
        try await recordingFailure(of: runID, tenant: tenant) {
            try await UsageRating(store: store).rate(before: run.targetDate, accountIDs: run.accountIDs, tenant: tenant)
            guard run.partitions == 1 else {
                try await store.inTenant(tenant) { transaction in
                    try await InvoiceRunRepository(transaction).addPartitions(runID: runID, count: run.partitions)
                    for number in 0..<run.partitions {
                        try await JobRepository(transaction).enqueue(
                            NewJob(
                                kind: InvoiceRunService.partitionJobKind,
                                payload: #"{"run_id": \#(runID), "partition": \#(number)}"#,
                                dedupKey: "invoice-run:\(runID):\(number)"))
                    }
                }
                return
            }
            var lastRoot = run.lastRootID
            while let next = try await batch(run, .whole, after: lastRoot, tenant: tenant) { lastRoot = next }
            try await store.inTenant(tenant) { try await InvoiceRunRepository($0).finish(id: runID, error: nil) }
        }
    }

    /// Runs (or resumes) one partition of a split run; the last partition to finish completes the run.
    public func run(_ runID: Int64, partition number: Int, tenant: TenantID) async throws {
        let (run, progress) = try await store.inTenant(tenant) { transaction in
            let runs = InvoiceRunRepository(transaction)
            guard let run = try await runs.find(id: runID),
                let progress = try await runs.progress(
                    runID: runID, partition: number)
            else { throw InvoiceRunMissing(runID: runID) }
            if !progress.finished { try await runs.markRunning(id: runID) }
            return (run, progress)
        }
        guard !progress.finished else { return }
        let partition = RunPartition(number: number, count: run.partitions)
        try await recordingFailure(of: runID, tenant: tenant) {
            var lastRoot = progress.lastRootID
            while let next = try await batch(run, partition, after: lastRoot, tenant: tenant) { lastRoot = next }
            try await store.inTenant(tenant) {
                try await InvoiceRunRepository($0).finishPartition(runID: runID, partition: number)
            }
        }
    }

    /// A failure marks the run failed (its job retries it) and is thrown on.
    private func recordingFailure(of runID: Int64, tenant: TenantID, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            try? await store.inTenant(tenant) {
                try await InvoiceRunRepository($0).finish(id: runID, error: String(describing: error))
            }
            throw error
        }
    }

    /// One batch; the last root it finished, or nil when nothing was left.
    private func batch(
        _ run: InvoiceRunRecord, _ partition: RunPartition, after lastRoot: Int64, tenant: TenantID
    ) async throws -> Int64? {
        let started = ContinuousClock.now
        let done = try await store.inTenant(tenant) { transaction -> (root: Int64, documents: Int, lines: Int)? in
            let invoicing = InvoicingRepository(transaction)
            let roots = try await invoicing.dueRoots(
                after: lastRoot, target: run.targetDate, accountIDs: run.accountIDs, partition: partition,
                limit: batchSize)
            guard let last = roots.last else { return nil }
            // Read, compose, then lock just what the documents bill: rows another run holds are
            // left to it, and rows this run does not bill (another bill group) stay free.
            let due = try await invoicing.due(roots: roots, target: run.targetDate, accountIDs: run.accountIDs)
            var documents = try await compose(due, run: run, roots: roots, in: transaction)
            let wanted = documents.flatMap { $0.lines.map(\.transactionID) }
            let locked = try await invoicing.lockPending(wanted)
            if locked.count < wanted.count {
                documents = try await compose(
                    due.filter { locked.contains($0.id) }, run: run, roots: roots, in: transaction)
            }
            let ids = try await invoicing.write(documents, runID: run.id)
            try await EventOutbox(transaction).append(
                try zip(ids, documents).map { id, document in
                    try .wire(
                        "invoice.created", entity: "invoice", id: String(id),
                        CreatedDocument(
                            id: String(id), type: document.key.documentType,
                            accountId: String(document.key.invoicerAccountID), currency: document.key.currency,
                            total: document.total.description, runId: String(run.id)))
                })
            if run.autoPost {
                var posted: [InvoiceRecord] = []
                for id in ids { posted.append(try await InvoicePosting(transaction: transaction).post(id)) }
                // The same event as invoices.post writes: the posted document, as invoices.get shows it.
                try await EventOutbox(transaction).append(
                    try await InvoiceService.wire(posted, in: transaction).map {
                        try .wire("invoice.posted", entity: "invoice", id: $0.id, $0)
                    })
            }
            var totals = MoneyTotals()
            for document in documents { try totals.add(document.total) }
            let lines = documents.reduce(0) { $0 + $1.lines.count }
            try await InvoiceRunRepository(transaction).advance(
                id: run.id, partition: partition, lastRootID: last, documents: documents.count,
                transactions: lines, totals: totals.byCurrency)
            return (last, documents.count, lines)
        }
        guard let done else { return nil }
        InvoiceRunMetrics.recordBatch(documents: done.documents, transactions: done.lines, since: started)
        return done.root
    }

    /// The documents of a batch: each transaction goes to its account's effective invoicer, taxed
    /// by the tax profile of the invoicer's effective tax account.
    private func compose(
        _ due: [DueTransaction], run: InvoiceRunRecord, roots: [Int64], in transaction: TenantTransaction
    ) async throws -> [DraftDocument] {
        try await Self.compose(
            due, invoiceDate: run.invoiceDate, billGroup: run.billGroup, roots: roots, in: transaction)
    }

    /// With a `billGroup`, only the transactions whose invoicer is in that bill group.
    static func compose(
        _ due: [DueTransaction], invoiceDate: CalendarDate, billGroup: String? = nil, roots: [Int64],
        in transaction: TenantTransaction
    ) async throws -> [DraftDocument] {
        let accounts = try await AccountRepository(transaction).hierarchies(rootIDs: roots)
        let byID = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
        let effective = HierarchyResolution.effective(ofTree: accounts.map(\.node))
        let seller = try CountryCode(try await InvoiceRunRepository(transaction).sellerCountry())
        let rates = try await TaxRateRepository(transaction).inEffect(on: invoiceDate)
        let billable = due.compactMap { item -> BillableTransaction? in
            guard let settings = effective[item.accountID] else { return nil }
            let invoicer = item.kind == "usage" ? settings.usageInvoiceRecipientID : settings.subscriptionInvoicerID
            let invoicerSettings = effective[invoicer] ?? settings
            if let billGroup, invoicerSettings.billGroup != billGroup { return nil }
            return BillableTransaction(
                id: item.id, invoicerAccountID: invoicer, amount: item.amount,
                paymentTermsDays: invoicerSettings.paymentTermsDays, billGroup: invoicerSettings.billGroup,
                documentType: item.generate,
                description: item.kind == "usage"
                    ? "\(item.productName) – \(item.serviceName) (\(item.accountName))"
                    : "\(item.productName) – \(item.serviceName)",
                periodStart: item.periodStart, periodEnd: item.periodEnd, quantity: item.quantity,
                unitPrice: item.unitPrice, taxCategory: item.taxCategory)
        }
        return try InvoiceComposer.compose(
            billable, invoiceDate: invoiceDate,
            treatment: { invoicer in
                let taxAccount = effective[invoicer].flatMap { byID[$0.taxAccountID] } ?? byID[invoicer]
                return TaxTreatment.decide(
                    seller: seller, buyerCountry: taxAccount?.taxCountry.flatMap { try? CountryCode($0) },
                    buyerVATNumber: taxAccount?.taxVATNumber, exempt: taxAccount?.taxExempt ?? false,
                    exemptionReason: taxAccount?.taxExemptionReason)
            },
            rates: { treatment, category in
                guard case .standard(let country) = treatment else { return [] }
                return rates["\(country.code)/\(category)"] ?? []
            })
    }
}

/// The run named in a job no longer exists.
struct InvoiceRunMissing: Error, CustomStringConvertible {
    let runID: Int64
    var description: String { "invoice run \(runID) does not exist" }
}

/// What `invoice.created` tells partners; `invoices.get` has the whole document.
struct CreatedDocument: Encodable {
    let id: String
    let type: String
    let accountId: String
    let currency: String
    let total: String
    let runId: String

    enum CodingKeys: String, CodingKey {
        case id, type, currency, total
        case accountId = "account_id"
        case runId = "run_id"
    }
}
