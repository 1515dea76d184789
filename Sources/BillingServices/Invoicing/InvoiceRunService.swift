import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Invoice runs: started over the protocol (or by a scheduler), run by the job workers.
public struct InvoiceRunService: Sendable {
    /// The job kind that runs an invoice run; its payload names the run.
    public static let jobKind = "invoice_runs.run"
    /// The job kind that runs one partition of a split run; its payload names the run and partition.
    public static let partitionJobKind = "invoice_runs.run_partition"

    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    /// Records the run and enqueues its job in one transaction: the run exists if and only if its
    /// job does.
    public func start(_ params: InvoiceRunsStart.Params, tenant: TenantID) async throws -> InvoiceRunsStart.Result {
        let invoiceDate = params.invoiceDate ?? params.targetDate
        let accountIDs = try Self.accountIDs(params.accountIds)
        let billGroup = try FieldRules.billGroup(params.billGroup)
        let partitions = try Self.partitions(params.partitions)
        return try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: InvoiceRunsStart.name, key: params.idempotencyKey, params: params, in: transaction
            ) {
                try await Self.requireAccounts(accountIDs, in: transaction)
                let run = try await InvoiceRunRepository(transaction).insert(
                    targetDate: params.targetDate, invoiceDate: invoiceDate, accountIDs: accountIDs,
                    autoPost: params.autoPost ?? false, billGroup: billGroup, partitions: partitions)
                try await JobRepository(transaction).enqueue(
                    NewJob(kind: Self.jobKind, payload: #"{"run_id": \#(run.id)}"#, dedupKey: "invoice-run:\(run.id)"))
                let wire = try Self.wire(run)
                try await EventOutbox(transaction).append(
                    .wire("invoice_run.started", entity: "invoice_run", id: wire.id, wire))
                return InvoiceRunsStart.Result(run: wire)
            }
        }
    }

    /// The run of one scheduler occurrence, recorded once, with its `invoice_run.started` event as
    /// `start` writes it; a retried job gets the same run and no second event.
    public static func startScheduled(
        origin: String, occurrence: String, offsetDays: Int, autoPost: Bool, billGroup: String?, partitions: Int,
        in transaction: TenantTransaction
    ) async throws -> Int64 {
        let (run, created) = try await InvoiceRunRepository(transaction).insertScheduled(
            origin: origin, occurrence: occurrence, offsetDays: offsetDays, autoPost: autoPost, billGroup: billGroup,
            partitions: partitions)
        if created {
            let wire = try Self.wire(run)
            try await EventOutbox(transaction).append(
                .wire("invoice_run.started", entity: "invoice_run", id: wire.id, wire))
        }
        return run.id
    }

    /// What a run would write now, computed the same way in one read-only snapshot.
    public func preview(_ params: InvoiceRunsPreview.Params, tenant: TenantID) async throws -> InvoiceRunsPreview.Result
    {
        let limit = try Paging.limit(params.limit)
        let accountIDs = try Self.accountIDs(params.accountIds)
        let invoiceDate = params.invoiceDate ?? params.targetDate
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            try await Self.requireAccounts(accountIDs, in: transaction)
            let invoicing = InvoicingRepository(transaction)
            var listed: [DocumentPreview] = []
            var count = 0
            var transactions = 0
            var totals = MoneyTotals()
            var lastRoot: Int64 = 0
            while true {
                let roots = try await invoicing.dueRoots(
                    after: lastRoot, target: params.targetDate, accountIDs: accountIDs, limit: 200)
                guard let last = roots.last else { break }
                let due = try await invoicing.due(roots: roots, target: params.targetDate, accountIDs: accountIDs)
                let documents = try await InvoiceRunner.compose(
                    due, invoiceDate: invoiceDate, roots: roots, in: transaction)
                count += documents.count
                transactions += documents.reduce(0) { $0 + $1.lines.count }
                for document in documents {
                    try totals.add(document.total)
                    if listed.count < limit { listed.append(Self.preview(document)) }
                }
                lastRoot = last
            }
            let amounts = totals.byCurrency.mapValues(\.description)
            return .init(documents: listed, documentCount: count, transactions: transactions, amountTotal: amounts)
        }
    }

    /// Every account a run is limited to is one of the tenant's.
    static func requireAccounts(_ accountIDs: [Int64]?, in transaction: TenantTransaction) async throws {
        guard let accountIDs else { return }
        let found = Set(try await AccountRepository(transaction).find(ids: accountIDs).map(\.id))
        if let missing = accountIDs.first(where: { !found.contains($0) }) {
            throw RPCError(.notFound, "no account \(missing) (account_ids)")
        }
    }

    static func preview(_ document: DraftDocument) -> DocumentPreview {
        DocumentPreview(
            type: document.key.documentType, accountId: String(document.key.invoicerAccountID),
            currency: document.key.currency, invoiceDate: document.invoiceDate, dueDate: document.dueDate,
            lines: document.lines.map {
                InvoiceLine(
                    description: $0.description, periodStart: $0.periodStart, periodEnd: $0.periodEnd,
                    quantity: $0.quantity, unitPrice: $0.unitPrice, amount: $0.amount.description,
                    taxCategory: $0.taxCategory, taxRate: $0.taxRates.first?.percent)
            },
            subtotal: document.subtotal.description, taxTotal: document.taxTotal.description,
            total: document.total.description,
            taxBreakdown: document.taxBreakdown.map {
                TaxBreakdownRow(
                    category: $0.category, rate: $0.percent, base: $0.base.description, amount: $0.amount.description)
            },
            notes: document.notes)
    }

    private static func accountIDs(_ ids: [String]?) throws -> [Int64]? {
        try ids.map { ids in
            try ids.map { id in
                guard let number = Int64(id) else { throw RPCError(.notFound, "no account \(id) (account_ids)") }
                return number
            }
        }
    }

    public func get(_ params: IdentifiedBy, tenant: TenantID) async throws -> InvoiceRun {
        try await store.inTenant(tenant) { transaction in
            guard let id = Int64(params.id), let run = try await InvoiceRunRepository(transaction).find(id: id) else {
                throw RPCError(.notFound, "no invoice run \(params.id)")
            }
            return try Self.wire(run)
        }
    }

    public func list(_ params: PageRequest, tenant: TenantID) async throws -> Page<InvoiceRun> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant) { transaction in
            let records = try await InvoiceRunRepository(transaction).list(after: after, limit: limit + 1)
            let items = try records.prefix(limit).map(Self.wire)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    /// How many jobs share a run: 1–32, 1 when not given.
    static func partitions(_ given: Int?) throws -> Int {
        let partitions = given ?? 1
        guard (1...32).contains(partitions) else {
            throw RPCError(
                .invalidParams, "partitions must be between 1 and 32", fields: ["partitions (out of range)"])
        }
        return partitions
    }

    /// The run a job of `jobKind` names.
    public static func runID(ofJobPayload payload: String) throws -> Int64 {
        try JSONDecoder().decode(RunJobPayload.self, from: Data(payload.utf8)).runId
    }

    /// The run and partition a job of `partitionJobKind` names.
    public static func partition(ofJobPayload payload: String) throws -> (runID: Int64, partition: Int) {
        let decoded = try JSONDecoder().decode(RunJobPayload.self, from: Data(payload.utf8))
        return (decoded.runId, decoded.partition ?? 0)
    }

    private struct RunJobPayload: Decodable {
        let runId: Int64
        let partition: Int?
        enum CodingKeys: String, CodingKey {
            case runId = "run_id"
            case partition
        }
    }

    static func wire(_ record: InvoiceRunRecord) throws -> InvoiceRun {
        let totals = try JSONDecoder().decode([String: String].self, from: Data(record.amountTotal.utf8))
        let currencies = Dictionary(
            uniqueKeysWithValues: try totals.map { code, amount in
                let currency = try Currency(code: code)
                return (code, Money(amount, currency: currency)?.description ?? amount)
            })
        return InvoiceRun(
            id: String(record.id), status: record.status, targetDate: record.targetDate,
            invoiceDate: record.invoiceDate, accountIds: record.accountIDs?.map(String.init), autoPost: record.autoPost,
            billGroup: record.billGroup, documents: record.documents, transactions: record.transactions,
            amountTotal: currencies,
            startedAt: record.startedAt, finishedAt: record.finishedAt, error: record.error,
            createdAt: record.createdAt, partitions: record.partitions)
    }
}
