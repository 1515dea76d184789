import BillingClient
import BillingCore
import BillingProtocol
import BillingStore
import TestSupport
import Testing

/// `jobs.get` and `jobs.list`: each tenant sees its own jobs only.
@Suite struct JobTests {
    @Test func aTenantSeesOnlyItsOwnJobs() async throws {
        let server = try await RunningServer.start()
        let (client, owner) = try await server.tenantClient()
        let (stranger, _) = try await server.tenantClient()
        let app = try await TestDatabase.shared.appPool()
        let tenant = try #require(TenantID(owner.tenant.id))
        let (first, second) = try await BillingStore(pool: app).inTenant(tenant) { transaction in
            let jobs = JobRepository(transaction)
            let first = try await jobs.enqueue(
                NewJob(
                    kind: "maintenance.purge_idempotency_keys", payload: #"{"occurrence":"2026-11-23T02:00:00Z"}"#,
                    dedupKey: "schedule:purge-idempotency-keys:2026-11-23T02:00:00Z"))
            let again = try await jobs.enqueue(
                NewJob(
                    kind: "maintenance.purge_idempotency_keys",
                    dedupKey: "schedule:purge-idempotency-keys:2026-11-23T02:00:00Z"))
            #expect(again == first)
            return (first, try await jobs.enqueue(NewJob(kind: "maintenance.other", maxAttempts: 2)))
        }
        await app.close()

        let job = try await client.call(JobsGet.self, .init(id: String(first.id)))
        #expect(job.kind == "maintenance.purge_idempotency_keys" && job.status == "queued" && job.attempts == 0)
        #expect(job.payload == .object(["occurrence": .string("2026-11-23T02:00:00Z")]))
        #expect(job.dedupKey == "schedule:purge-idempotency-keys:2026-11-23T02:00:00Z" && job.maxAttempts == 5)
        #expect(job.lastError == nil && job.startedAt == nil && job.finishedAt == nil)
        let all = try await client.call(JobsList.self, .init())
        #expect(all.items.map(\.id) == [String(first.id), String(second.id)])
        let page = try await client.call(JobsList.self, .init(kind: "maintenance.other", limit: 1))
        #expect(page.items.map(\.id) == [String(second.id)] && page.nextCursor == nil)
        #expect(try await client.call(JobsList.self, .init(status: "dead")).items.isEmpty)
        let badStatus = await #expect(throws: RPCError.self) {
            try await client.call(JobsList.self, .init(status: "failed"))
        }
        #expect(badStatus?.data.reason == "invalid_status")

        let hidden = await #expect(throws: RPCError.self) {
            try await stranger.call(JobsGet.self, .init(id: String(first.id)))
        }
        #expect(hidden?.code == -32003)
        #expect(try await stranger.call(JobsList.self, .init()).items.isEmpty)
        await client.close()
        await stranger.close()
        try await server.stop()
    }
}
