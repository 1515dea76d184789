import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// The tenant's view of its background jobs.
public struct JobService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func get(_ params: JobsGet.Params, tenant: TenantID) async throws -> Job {
        try await store.inTenant(tenant) { transaction in
            guard let id = Int64(params.id), let job = try await JobRepository(transaction).find(id: id) else {
                throw RPCError(.notFound, "no job \(params.id)")
            }
            return try Self.wire(job)
        }
    }

    public func list(_ params: JobsList.Params, tenant: TenantID) async throws -> Page<Job> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        let status = try params.status.map {
            try FieldRules.oneOf(
                $0, ["queued", "running", "completed", "dead"], field: "status", reason: "invalid_status")
        }
        return try await store.inTenant(tenant) { transaction in
            let records = try await JobRepository(transaction).list(
                status: status, kind: params.kind, after: after, limit: limit + 1)
            let items = try records.prefix(limit).map(Self.wire)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    /// A dead job queued again, for when what made it fail has been fixed.
    public func retry(_ params: JobsRetry.Params, tenant: TenantID) async throws -> Job {
        try await store.inTenant(tenant) { transaction in
            let jobs = JobRepository(transaction)
            guard let id = Int64(params.id), let job = try await jobs.find(id: id) else {
                throw RPCError(.notFound, "no job \(params.id)")
            }
            guard let retried = try await jobs.retryDead(id: id) else {
                throw ValidationFailure(
                    reason: "not_dead", field: "id",
                    message: "job \(params.id) is \(job.status); only a dead job is retried")
            }
            return try Self.wire(retried)
        }
    }

    static func wire(_ record: JobRecord) throws -> Job {
        Job(
            id: String(record.id), kind: record.kind, status: record.status,
            payload: try WireCoding.parse(Data(record.payload.utf8)), dedupKey: record.dedupKey, runAt: record.runAt,
            attempts: record.attempts, maxAttempts: record.maxAttempts, lastError: record.lastError,
            createdAt: record.createdAt, updatedAt: record.updatedAt, startedAt: record.startedAt,
            finishedAt: record.finishedAt)
    }
}
