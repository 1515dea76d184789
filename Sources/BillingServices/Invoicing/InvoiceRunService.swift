import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Invoice runs: started over the protocol (or by a scheduler), run by the job workers.
public struct InvoiceRunService: Sendable {
    /// The job kind that runs an invoice run; its payload names the run.
    public static let jobKind = "invoice_runs.run"

    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    /// Records the run and enqueues its job in one transaction: the run exists if and only if its
    /// job does.
    public func start(_ params: InvoiceRunsStart.Params, tenant: TenantID) async throws -> InvoiceRunsStart.Result {
        let invoiceDate = params.invoiceDate ?? params.targetDate
        let accountIDs = try params.accountIds.map { ids in
            try ids.map { id in
                guard let number = Int64(id) else { throw RPCError(.notFound, "no account \(id) (account_ids)") }
                return number
            }
        }
        return try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: InvoiceRunsStart.name, key: params.idempotencyKey, params: params, in: transaction
            ) {
                if let accountIDs {
                    let found = Set(try await AccountRepository(transaction).find(ids: accountIDs).map(\.id))
                    if let missing = accountIDs.first(where: { !found.contains($0) }) {
                        throw RPCError(.notFound, "no account \(missing) (account_ids)")
                    }
                }
                let run = try await InvoiceRunRepository(transaction).insert(
                    targetDate: params.targetDate, invoiceDate: invoiceDate, accountIDs: accountIDs,
                    autoPost: params.autoPost ?? false)
                try await JobRepository(transaction).enqueue(
                    NewJob(kind: Self.jobKind, payload: #"{"run_id": \#(run.id)}"#, dedupKey: "invoice-run:\(run.id)"))
                let wire = try Self.wire(run)
                try await EventOutbox(transaction).append(
                    .wire("invoice_run.started", entity: "invoice_run", id: wire.id, wire))
                return InvoiceRunsStart.Result(run: wire)
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

    /// The run a job of `jobKind` names.
    public static func runID(ofJobPayload payload: String) throws -> Int64 {
        struct Payload: Decodable {
            let runId: Int64
            enum CodingKeys: String, CodingKey { case runId = "run_id" }
        }
        return try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).runId
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
            documents: record.documents, transactions: record.transactions, amountTotal: currencies,
            startedAt: record.startedAt, finishedAt: record.finishedAt, error: record.error,
            createdAt: record.createdAt)
    }
}
