import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import Foundation
import Postgres
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An invoice run in a worker process killed with SIGKILL mid-run, then resumed by another.
@Suite(.serialized) struct InvoiceRunProcessTests {
    @Test func aRunKilledMidwayResumesAndBillsEveryTransactionOnce() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        let count = 6000
        try await testbed.billedAccounts(count, tenant: tenant)
        let expectedCents = try await testbed.number(
            "SELECT (sum(amount) * 100)::integer AS n FROM billing_transactions")
        let started = try await InvoiceRunService(store: testbed.store).start(
            .init(targetDate: CalendarDate("2026-01-31")!), tenant: tenant)
        let runID = try #require(Int64(started.run.id))

        let workers = WorkerProcesses(databaseURL: testbed.appURL, settings: ["LEDGERLINE_JOB_LEASE_SECONDS": "2"])
        let first = try workers.start()[0]
        let midway = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number("SELECT documents AS n FROM invoice_runs WHERE id = \(runID)") > 0
        }
        #expect(midway)
        workers.signal(first, SIGKILL)
        let partial = try await testbed.number("SELECT documents AS n FROM invoice_runs WHERE id = \(runID)")
        #expect(partial < count, "the run finished before it could be killed")

        try workers.start()
        let completed = try await testbed.eventually(within: .seconds(120)) {
            try await testbed.number(
                "SELECT count(*) AS n FROM invoice_runs WHERE id = \(runID) AND status = 'completed'") == 1
        }
        #expect(completed)
        #expect(try await testbed.number("SELECT documents AS n FROM invoice_runs WHERE id = \(runID)") == count)
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoices") == count)
        try await testbed.expectEachTransactionBilledOnce(count, totalCents: expectedCents)
        #expect(await workers.stopAll() == [0])
        await testbed.close()
    }
}

/// An invoice scheduler fired by a worker process starts its run, once, split in two as it says,
/// and the run posts.
@Suite(.serialized) struct InvoiceSchedulerProcessTests {
    @Test func aDueSchedulerStartsOneRunThatBillsAndPosts() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        try await testbed.billedAccounts(50, tenant: tenant)
        let scheduler = try await InvoiceSchedulerService(store: testbed.store).create(
            .init(
                name: "Nightly", cadence: "daily", time: "02:00", targetOffsetDays: -1, autoPost: true, partitions: 2),
            tenant: tenant)
        #expect(scheduler.partitions == 2)
        // Due now instead of at 02:00.
        try await testbed.execute("UPDATE job_schedules SET next_run_at = now() WHERE id = \(Int64(scheduler.id)!)")
        let workers = WorkerProcesses(databaseURL: testbed.appURL)
        try workers.start(2)
        let done = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number("SELECT count(*) AS n FROM invoice_runs WHERE status = 'completed'") == 1
        }
        #expect(done)
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoice_runs") == 1)
        #expect(try await testbed.number("SELECT documents AS n FROM invoice_runs") == 50)
        #expect(try await testbed.number("SELECT partitions AS n FROM invoice_runs") == 2)
        // Announced once, as a run started by invoice_runs.start is.
        #expect(
            try await testbed.number(
                """
                SELECT count(*) AS n FROM events e JOIN invoice_runs r ON e.entity_id = r.id::text
                WHERE e.type = 'invoice_run.started' AND e.data->>'status' = 'queued'
                """) == 1)
        #expect(
            try await testbed.number("SELECT count(*) AS n FROM invoice_run_partitions WHERE finished_at IS NOT NULL")
                == 2)
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoices WHERE status = 'posted'") == 50)
        #expect(
            try await testbed.number("SELECT count(DISTINCT number) AS n FROM invoices WHERE number LIKE 'INV-%'") == 50
        )
        // The run's target date is the day it fired, in the tenant's time zone, minus one.
        #expect(
            try await testbed.number(
                """
                SELECT count(*) AS n FROM invoice_runs r JOIN job_schedules s ON r.origin LIKE 'schedule:' || s.name || ':%'
                WHERE r.target_date = (s.last_occurrence_at AT TIME ZONE 'Europe/Paris')::date - 1
                """) == 1)
        #expect(await workers.stopAll() == [0, 0])
        await testbed.close()
    }
}

/// A run that fails midway is marked failed with its error, and running it again finishes it.
@Suite struct FailedInvoiceRunTests {
    @Test func aFailedRunIsRetriedToTheEnd() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        try await testbed.billedAccounts(30, tenant: tenant)
        // The 21st document cannot be written, once.
        try await testbed.script(
            """
            CREATE TABLE fail_once (done boolean NOT NULL DEFAULT false);
            INSERT INTO fail_once DEFAULT VALUES;
            CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
            BEGIN
                IF (SELECT count(*) FROM invoices) >= 20 AND NOT (SELECT done FROM fail_once) THEN
                    RAISE EXCEPTION 'disk full';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_once BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION fail_once();
            """)
        let started = try await InvoiceRunService(store: testbed.store).start(
            .init(targetDate: CalendarDate("2026-01-31")!), tenant: tenant)
        let runID = try #require(Int64(started.run.id))
        let runner = InvoiceRunner(store: testbed.store, batchSize: 10)
        await #expect(throws: (any Error).self) { try await runner.run(runID, tenant: tenant) }
        let failed = try await testbed.rows("SELECT status, error, documents FROM invoice_runs WHERE id = \(runID)")[0]
        #expect(try failed.decode("status", as: String.self) == "failed")
        #expect(try failed.decode("error", as: String?.self)?.contains("disk full") == true)
        #expect(try failed.decode("documents", as: Int.self) == 20)

        try await testbed.execute("UPDATE fail_once SET done = true")
        try await runner.run(runID, tenant: tenant)
        let finished = try await testbed.rows("SELECT status, error, documents FROM invoice_runs WHERE id = \(runID)")[
            0]
        #expect(try finished.decode("status", as: String.self) == "completed")
        #expect(try finished.decode("error", as: String?.self) == nil)
        #expect(try finished.decode("documents", as: Int.self) == 30)
        #expect(try await testbed.number("SELECT count(DISTINCT billing_transaction_id) AS n FROM invoice_lines") == 30)
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoice_lines") == 30)
        await testbed.close()
    }
}

/// A run split into partitions: its own job rates usage and queues one job per partition; each
/// partition bills its share once, however often it runs, and the last one completes the run.
@Suite struct PartitionedInvoiceRunTests {
    @Test func eachPartitionBillsItsShareOnceAndTheLastCompletesTheRun() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        try await testbed.billedAccounts(60, tenant: tenant)
        let expectedCents = try await testbed.number(
            "SELECT (sum(amount) * 100)::integer AS n FROM billing_transactions")
        let started = try await InvoiceRunService(store: testbed.store).start(
            .init(targetDate: CalendarDate("2026-01-31")!, partitions: 3), tenant: tenant)
        #expect(started.run.partitions == 3)
        let runID = try #require(Int64(started.run.id))
        let runner = InvoiceRunner(store: testbed.store, batchSize: 7)
        try await runner.run(runID, tenant: tenant)
        #expect(
            try await testbed.number(
                "SELECT count(*) AS n FROM jobs WHERE kind = 'invoice_runs.run_partition' AND status = 'queued'") == 3)
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoices") == 0)

        // Each hierarchy (one account each here) belongs to exactly one partition.
        func share(_ partition: Int) async throws -> Int {
            try await testbed.number(
                "SELECT count(*) AS n FROM accounts WHERE (hashint8(root_id) & 2147483647) % 3 = \(partition)")
        }
        let shares = [try await share(0), try await share(1), try await share(2)]
        #expect(shares.reduce(0, +) == 60 && shares.allSatisfy { $0 > 0 }, "\(shares)")

        try await runner.run(runID, partition: 1, tenant: tenant)
        try await runner.run(runID, partition: 1, tenant: tenant)
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoices") == shares[1])
        #expect(try await testbed.number("SELECT documents AS n FROM invoice_runs WHERE id = \(runID)") == shares[1])
        #expect(
            try await testbed.number("SELECT count(*) AS n FROM invoice_runs WHERE status = 'running'") == 1)
        try await runner.run(runID, partition: 0, tenant: tenant)
        try await runner.run(runID, partition: 2, tenant: tenant)
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoice_runs WHERE status = 'completed'") == 1)
        #expect(try await testbed.number("SELECT documents AS n FROM invoice_runs WHERE id = \(runID)") == 60)
        try await testbed.expectEachTransactionBilledOnce(60, totalCents: expectedCents)
        await testbed.close()
    }

    @Test func partitionsOutOfRangeAreRefused() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        for partitions in [0, 33] {
            let error = await #expect(throws: RPCError.self) {
                try await InvoiceRunService(store: testbed.store).start(
                    .init(targetDate: CalendarDate("2026-01-31")!, partitions: partitions), tenant: tenant)
            }
            #expect(error?.code == RPCErrorCode.invalidParams.code)
            #expect(error?.message == "partitions must be between 1 and 32")
        }
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoice_runs") == 0)
        await testbed.close()
    }
}
