import BillingJobs
import BillingStore
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// A worker process for the job tests: the real worker and scheduler of billingd, with three more
/// job kinds whose effects the tests can count. Settings come from the same `LEDGERLINE_*`
/// variables as billingd's.
@main
struct JobFixtureWorker {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        func seconds(_ name: String, _ fallback: Double) -> Duration {
            .milliseconds(Int64(((environment[name].flatMap(Double.init) ?? fallback) * 1000).rounded()))
        }
        guard let url = environment["LEDGERLINE_DATABASE_URL"] else {
            FileHandle.standardError.write(Data("LEDGERLINE_DATABASE_URL is not set\n".utf8))
            exit(2)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .notice
            return handler
        }
        let settings = WorkerSettings(
            concurrency: environment["LEDGERLINE_WORKER_CONCURRENCY"].flatMap(Int.init) ?? 4,
            lease: seconds("LEDGERLINE_JOB_LEASE_SECONDS", 60),
            pollInterval: seconds("LEDGERLINE_JOB_POLL_SECONDS", 5),
            retry: RetryPolicy(base: seconds("LEDGERLINE_JOB_RETRY_SECONDS", 10)),
            shutdownGrace: seconds("LEDGERLINE_JOB_SHUTDOWN_GRACE_SECONDS", 30))
        let logger = Logger(label: "job-fixture-worker")
        try await PostgresPool.using(.init(url: url, maxConnections: settings.concurrency + 2)) { pool in
            let store = BillingStore(pool: pool)
            let services = JobServices.make(
                store: store, databaseURL: url,
                handlers: JobHandlers.all + [RecordRun(), SlowRun(), AlwaysFails()], settings: settings, logger: logger)
            try await ServiceGroup(
                configuration: .init(
                    services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm],
                    logger: logger)
            ).run()
        }
    }
}

/// Records that it ran, in the job's transaction: a row of `fixture_runs` per committed run.
struct RecordRun: JobHandler {
    var kind: String { "fixture.record" }

    func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {
        try await transaction.connection.execute(
            "INSERT INTO fixture_runs (job_id, worker_pid) VALUES (\(job.id), \(Int(getpid())))")
    }
}

/// Sleeps for the payload's `seconds`, then records that it ran.
struct SlowRun: JobHandler {
    var kind: String { "fixture.slow" }

    func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {
        let payload = try JSONSerialization.jsonObject(with: Data(job.payload.utf8)) as? [String: Any]
        try await Task.sleep(for: .seconds(payload?["seconds"] as? Int ?? 1))
        try await RecordRun().run(job, in: transaction)
    }
}

/// Fails every attempt.
struct AlwaysFails: JobHandler {
    struct Boom: Error, CustomStringConvertible {
        let attempt: Int
        var description: String { "boom on attempt \(attempt)" }
    }

    var kind: String { "fixture.fail" }

    func run(_ job: JobRecord, in transaction: TenantTransaction) async throws {
        throw Boom(attempt: job.attempts)
    }
}
