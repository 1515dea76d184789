import BillingCore
import BillingJobs
import BillingProtocol
import BillingServices
import BillingStore
import Foundation
import Postgres
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The job runner with real worker processes on a database of the test's own.
@Suite(.serialized) struct JobProcessTests {
    @Test func threeProcessesRunTwoThousandJobsEachExactlyOnce() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        try await testbed.execute(
            """
            INSERT INTO jobs (tenant_id, kind, payload) SELECT \(tenant.rawValue), 'fixture.record', '{}'
            FROM generate_series(1, 2000)
            """)
        let workers = WorkerProcesses(databaseURL: testbed.appURL)
        try workers.start(3)
        let done = try await testbed.eventually(within: .seconds(180)) {
            try await testbed.number("SELECT count(*) AS n FROM jobs WHERE status = 'completed'") >= 2000
        }
        #expect(done)
        #expect(await workers.stopAll() == [0, 0, 0])
        #expect(try await testbed.number("SELECT count(*) AS n FROM fixture_runs") == 2000)
        #expect(try await testbed.number("SELECT count(DISTINCT job_id) AS n FROM fixture_runs") == 2000)
        #expect(
            try await testbed.number("SELECT count(*) AS n FROM jobs WHERE kind = 'fixture.record' AND attempts <> 1")
                == 0)
        #expect(try await testbed.number("SELECT count(DISTINCT worker_pid) AS n FROM fixture_runs") >= 2)
        await testbed.close()
    }

    @Test func aJobOfAKilledWorkerRunsAgainWhenItsLeaseExpires() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        let job = try await testbed.store.inTenant(tenant) { transaction in
            try await JobRepository(transaction).enqueue(NewJob(kind: "fixture.slow", payload: #"{"seconds": 4}"#))
        }
        let workers = WorkerProcesses(databaseURL: testbed.appURL, settings: ["LEDGERLINE_JOB_LEASE_SECONDS": "2"])
        let first = try workers.start()[0]
        let claimed = try await testbed.eventually(within: .seconds(30)) {
            try await testbed.number("SELECT count(*) AS n FROM jobs WHERE id = \(job.id) AND status = 'running'") == 1
        }
        #expect(claimed)
        workers.signal(first, SIGKILL)
        // Killed before it could commit: nothing of its run is left, and the job still looks running.
        #expect(try await testbed.number("SELECT count(*) AS n FROM fixture_runs") == 0)
        let second = try workers.start()[0]
        let completed = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number("SELECT count(*) AS n FROM jobs WHERE id = \(job.id) AND status = 'completed'")
                == 1
        }
        #expect(completed)
        let runs = try await testbed.rows("SELECT job_id, worker_pid FROM fixture_runs")
        #expect(runs.count == 1)
        #expect(try runs.first?.decode("worker_pid", as: Int32.self) == second.processIdentifier)
        #expect(try await testbed.number("SELECT attempts AS n FROM jobs WHERE id = \(job.id)") == 2)
        #expect(await workers.stopAll() == [0])
        await testbed.close()
    }

    @Test func billingdWorkerRunsTheBuiltInSchedulesOfEveryTenant() async throws {
        let testbed = try await JobTestbed.make()
        let tenants = [try await testbed.makeTenant(), try await testbed.makeTenant(timezone: "Asia/Tokyo")]
        try await testbed.execute(
            """
            INSERT INTO idempotency_keys (tenant_id, method, key, params_hash, created_at)
            VALUES (\(tenants[0].rawValue), 'accounts.create', 'stale', 'h', now() - interval '25 hours'),
                   (\(tenants[0].rawValue), 'accounts.create', 'fresh', 'h', now() - interval '23 hours')
            """)
        let ending = try await orderEndingWithinTheRenewalLead(testbed, tenant: tenants[0])
        let workers = WorkerProcesses(databaseURL: testbed.appURL)
        try workers.start(billingd: ["worker", "--worker-concurrency", "2"])
        let purged = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number(
                "SELECT count(*) AS n FROM jobs WHERE kind = 'maintenance.purge_idempotency_keys' AND status = 'completed'"
            ) == tenants.count
        }
        #expect(purged)
        let scanned = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number(
                "SELECT count(*) AS n FROM jobs WHERE kind = 'renewals.scan' AND status = 'completed'") == tenants.count
        }
        #expect(scanned)
        #expect(
            try await testbed.number(
                "SELECT count(*) AS n FROM opportunities WHERE renewal_of_order_id = \(ending) AND tenant_id = \(tenants[0].rawValue)"
            ) == 1)
        let keys = try await testbed.rows("SELECT key FROM idempotency_keys").map {
            try $0.decode("key", as: String.self)
        }
        #expect(keys == ["fresh"])
        #expect(await workers.stopAll() == [0])
        await testbed.close()
    }

    /// An active monthly order of the tenant that ends 10 days from its today: within the default
    /// 30-day renewal lead, so the daily renewal scan renews it.
    private func orderEndingWithinTheRenewalLead(_ testbed: JobTestbed, tenant: TenantID) async throws -> String {
        let today = try await testbed.store.inTenant(tenant) { try await $0.today() }
        let account = try await AccountService(store: testbed.store).create(
            AccountInput(name: "Renewing", currency: "EUR"), tenant: tenant)
        let product = try await CatalogService(store: testbed.store).createProduct(
            ProductInput(
                code: "SEAT", name: "Seat", services: [ProductService(code: "seat", name: "Seat", kind: "recurring")]),
            tenant: tenant)
        let monthly = try await BillingProcessService(store: testbed.store).create(
            .init(name: "Monthly", kind: "recurring", frequency: "monthly"), tenant: tenant)
        let orders = OrderService(store: testbed.store)
        let order = try await orders.create(
            .init(
                accountId: account.id, type: "subscription", startDate: today.adding(days: -355) ?? today,
                endDate: today.adding(days: 10),
                items: [
                    OrderItemInput(
                        productId: product.id, quantity: Decimal6(1), unitPrice: Decimal6(10),
                        billingProcessId: monthly.id)
                ]), tenant: tenant)
        _ = try await orders.activate(.init(id: order.id), tenant: tenant)
        return order.id
    }

    @Test func aNotifyWakesAnIdleWorkerLongBeforeItsNextPoll() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        let workers = WorkerProcesses(databaseURL: testbed.appURL, settings: ["LEDGERLINE_JOB_POLL_SECONDS": "60"])
        try workers.start()
        // Let it make its first pass over the queue and go to sleep until its next poll.
        try await Task.sleep(for: .seconds(2))
        let job = try await testbed.store.inTenant(tenant) { transaction in
            try await JobRepository(transaction).enqueue(NewJob(kind: "fixture.record"))
        }
        let ran = try await testbed.eventually(within: .seconds(10)) {
            try await testbed.number("SELECT count(*) AS n FROM jobs WHERE id = \(job.id) AND status = 'completed'")
                == 1
        }
        #expect(ran)
        #expect(await workers.stopAll() == [0])
        await testbed.close()
    }

    @Test func sigtermLetsARunningJobFinishOrGivesItBack() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        func slowJob() async throws -> JobRecord {
            try await testbed.store.inTenant(tenant) { transaction in
                try await JobRepository(transaction).enqueue(NewJob(kind: "fixture.slow", payload: #"{"seconds": 2}"#))
            }
        }
        func running(_ job: JobRecord) async throws -> Bool {
            try await testbed.number("SELECT count(*) AS n FROM jobs WHERE id = \(job.id) AND status = 'running'") == 1
        }
        // Within the grace period the job finishes before the process exits.
        let finishing = try await slowJob()
        let patient = WorkerProcesses(databaseURL: testbed.appURL)
        try patient.start()
        #expect(try await testbed.eventually(within: .seconds(20)) { try await running(finishing) })
        #expect(await patient.stopAll() == [0])
        #expect(
            try await testbed.number(
                "SELECT count(*) AS n FROM jobs WHERE id = \(finishing.id) AND status = 'completed'") == 1)

        // Past it, the job goes back to the queue unrun, the attempt not counted.
        let givenBack = try await slowJob()
        let hasty = WorkerProcesses(
            databaseURL: testbed.appURL, settings: ["LEDGERLINE_JOB_SHUTDOWN_GRACE_SECONDS": "0.3"])
        try hasty.start()
        #expect(try await testbed.eventually(within: .seconds(20)) { try await running(givenBack) })
        #expect(await hasty.stopAll() == [0])
        let row = try await testbed.rows(
            "SELECT status, attempts, lease_owner IS NULL AS free FROM jobs WHERE id = \(givenBack.id)")[0]
        #expect(try row.decode("status", as: String.self) == "queued")
        #expect(try row.decode("attempts", as: Int.self) == 0 && row.decode("free", as: Bool.self))
        #expect(try await testbed.number("SELECT count(*) AS n FROM fixture_runs WHERE job_id = \(givenBack.id)") == 0)
        await testbed.close()
    }

    @Test func aJobThatAlwaysFailsIsRetriedThenDeadWithItsError() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        let job = try await testbed.store.inTenant(tenant) { transaction in
            try await JobRepository(transaction).enqueue(NewJob(kind: "fixture.fail", maxAttempts: 4))
        }
        let workers = WorkerProcesses(databaseURL: testbed.appURL)
        try workers.start(2)
        let dead = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number("SELECT count(*) AS n FROM jobs WHERE id = \(job.id) AND status = 'dead'") == 1
        }
        #expect(dead)
        let row = try await testbed.rows(
            "SELECT attempts, last_error, finished_at IS NOT NULL AS finished FROM jobs WHERE id = \(job.id)")[0]
        #expect(try row.decode("attempts", as: Int.self) == 4)
        #expect(try row.decode("last_error", as: String.self) == "boom on attempt 4")
        #expect(try row.decode("finished", as: Bool.self))
        // Backoff doubles from 0.1 s: the four attempts span at least 0.1 + 0.2 + 0.4 s.
        let span = try await testbed.number(
            "SELECT (extract(epoch FROM finished_at - started_at) * 1000)::integer AS n FROM jobs WHERE id = \(job.id)")
        #expect(span >= 700)

        // jobs.retry queues it again, afresh, for the tenant only; the workers run it to its end again.
        let service = JobService(store: testbed.store)
        let retried = try await service.retry(.init(id: String(job.id)), tenant: tenant)
        #expect(retried.status == "queued" && retried.attempts == 0 && retried.finishedAt == nil)
        let refused = await #expect(throws: ValidationFailure.self) {
            try await service.retry(.init(id: String(job.id)), tenant: tenant)
        }
        #expect(refused?.reason == "not_dead")
        let other = try await testbed.makeTenant()
        let hidden = await #expect(throws: RPCError.self) {
            try await service.retry(.init(id: String(job.id)), tenant: other)
        }
        #expect(hidden?.code == RPCErrorCode.notFound.code)
        let deadAgain = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number(
                "SELECT count(*) AS n FROM jobs WHERE id = \(job.id) AND status = 'dead' AND attempts = 4") == 1
        }
        #expect(deadAgain)
        #expect(await workers.stopAll() == [0, 0])
        await testbed.close()
    }

    /// The daily `maintenance.purge_jobs` deletes the tenant's jobs completed longer ago than the
    /// retention and keeps everything else: recent ones, dead and queued ones, other tenants'.
    @Test func completedJobsPastTheRetentionArePurgedAndOthersKept() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        let other = try await testbed.makeTenant()
        let (t, o) = (tenant.rawValue, other.rawValue)
        try await testbed.execute(
            """
            INSERT INTO jobs (tenant_id, kind, status, attempts, finished_at, last_error) VALUES
                (\(t), 'fixture.record', 'completed', 1, now() - interval '31 days', 'old'),
                (\(t), 'fixture.record', 'completed', 1, now() - interval '29 days', 'recent'),
                (\(t), 'fixture.fail', 'dead', 5, now() - interval '40 days', 'dead'),
                (\(o), 'fixture.record', 'completed', 1, now() - interval '31 days', 'other tenant')
            """)
        let purged = try await testbed.store.inTenant(tenant) {
            try await JobRepository($0).purgeCompleted(olderThanDays: JobRetentionPurge.configuredDays([:]))
        }
        #expect(purged == 1)
        let kept = try await testbed.rows("SELECT last_error FROM jobs ORDER BY id").map {
            try $0.decode("last_error", as: String.self)
        }
        #expect(kept == ["recent", "dead", "other tenant"])
        #expect(JobRetentionPurge.configuredDays([:]) == 30)
        #expect(JobRetentionPurge.configuredDays(["LEDGERLINE_JOB_RETENTION_DAYS": "7"]) == 7)
        #expect(JobRetentionPurge.configuredDays(["LEDGERLINE_JOB_RETENTION_DAYS": "0"]) == 30)
        await testbed.close()
    }

    @Test func aDailyScheduleFiresOncePerOccurrenceAcrossThreeProcesses() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant(timezone: "Asia/Tokyo")
        // Daily at a time of day three seconds from now, Tokyo time.
        try await testbed.execute(
            """
            INSERT INTO job_schedules (tenant_id, name, job_kind, cadence, time_of_day, next_run_at)
            SELECT \(tenant.rawValue), 'fixture-daily', 'fixture.record', 'daily',
                   (date_trunc('second', now() + interval '3 seconds') AT TIME ZONE 'Asia/Tokyo')::time,
                   date_trunc('second', now() + interval '3 seconds')
            """)
        let occurrence: String = try await testbed.rows(
            "SELECT to_char(next_run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS at FROM job_schedules WHERE name = 'fixture-daily'"
        )[0].decode("at")
        let workers = WorkerProcesses(databaseURL: testbed.appURL)
        try workers.start(3)
        let fired = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number("SELECT count(*) AS n FROM fixture_runs") >= 1
        }
        #expect(fired)
        try await Task.sleep(for: .seconds(1))
        let jobs = try await testbed.rows(
            "SELECT dedup_key, payload->>'occurrence' AS occurrence FROM jobs WHERE kind = 'fixture.record'")
        #expect(jobs.count == 1)
        #expect(try jobs.first?.decode("dedup_key", as: String.self) == "schedule:fixture-daily:\(occurrence)")
        #expect(try jobs.first?.decode("occurrence", as: String.self) == occurrence)
        // The next occurrence is the same time tomorrow.
        #expect(
            try await testbed.number(
                "SELECT extract(epoch FROM next_run_at - last_occurrence_at)::integer AS n FROM job_schedules WHERE name = 'fixture-daily'"
            ) == 86_400)

        // Made due again before its next occurrence, it fires for the same occurrence: no new job.
        try await testbed.execute(
            "UPDATE job_schedules SET next_run_at = now() - interval '1 second' WHERE name = 'fixture-daily'")
        let movedOn = try await testbed.eventually(within: .seconds(30)) {
            try await testbed.number(
                "SELECT count(*) AS n FROM job_schedules WHERE name = 'fixture-daily' AND next_run_at > now()") == 1
        }
        #expect(movedOn)
        try await Task.sleep(for: .seconds(1))
        #expect(try await testbed.number("SELECT count(*) AS n FROM jobs WHERE kind = 'fixture.record'") == 1)
        #expect(try await testbed.number("SELECT count(*) AS n FROM fixture_runs") == 1)

        // Every tenant got the built-in schedules, and their jobs ran.
        let purged = try await testbed.eventually(within: .seconds(30)) {
            try await testbed.number(
                "SELECT count(*) AS n FROM jobs WHERE kind = 'maintenance.purge_idempotency_keys' AND status = 'completed'"
            ) == 1
        }
        #expect(purged)
        #expect(await workers.stopAll() == [0, 0, 0])
        await testbed.close()
    }

    @Test func afterTwoDaysOfDowntimeAScheduleFiresOnce() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant(timezone: "America/New_York")
        // Daily at the time of day it was an hour ago, last due two days ago.
        try await testbed.execute(
            """
            INSERT INTO job_schedules (tenant_id, name, job_kind, cadence, time_of_day, next_run_at)
            SELECT \(tenant.rawValue), 'fixture-missed', 'fixture.record', 'daily',
                   (date_trunc('second', now() - interval '1 hour') AT TIME ZONE 'America/New_York')::time,
                   date_trunc('second', now() - interval '1 hour') - interval '2 days'
            """)
        let latest: String = try await testbed.rows(
            "SELECT to_char(date_trunc('second', next_run_at + interval '2 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS at FROM job_schedules"
        )[0].decode("at")
        let workers = WorkerProcesses(databaseURL: testbed.appURL)
        try workers.start(3)
        let caughtUp = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number("SELECT count(*) AS n FROM fixture_runs") >= 1
        }
        #expect(caughtUp)
        try await Task.sleep(for: .seconds(1))
        let keys = try await testbed.rows("SELECT dedup_key FROM jobs WHERE kind = 'fixture.record'").map {
            try $0.decode("dedup_key", as: String.self)
        }
        #expect(keys == ["schedule:fixture-missed:\(latest)"])
        #expect(
            try await testbed.number(
                "SELECT count(*) AS n FROM job_schedules WHERE name = 'fixture-missed' AND next_run_at > now() + interval '22 hours'"
            ) == 1)
        #expect(await workers.stopAll() == [0, 0, 0])
        await testbed.close()
    }
}
