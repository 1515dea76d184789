import ArgumentParser
import BillingJobs

/// How this process runs jobs; flags first, then `LEDGERLINE_*` environment variables.
struct WorkerOptions: ParsableArguments {
    @Option(
        help: "Jobs run at once by this process (env LEDGERLINE_WORKER_CONCURRENCY, default 4; 0 with serve: none).")
    var workerConcurrency: Int?

    @Option(
        help:
            "Seconds a claimed job stays this process's without a heartbeat (env LEDGERLINE_JOB_LEASE_SECONDS, default 60)."
    )
    var jobLeaseSeconds: Double?

    @Option(
        help:
            "Seconds between checks for due jobs and schedules without a wake-up (env LEDGERLINE_JOB_POLL_SECONDS, default 5)."
    )
    var jobPollSeconds: Double?

    @Option(
        help:
            "Seconds before the first retry of a failed job, doubling each time (env LEDGERLINE_JOB_RETRY_SECONDS, default 10)."
    )
    var jobRetrySeconds: Double?

    @Option(
        help:
            "On SIGTERM, seconds running jobs may take to finish before they go back to the queue (env LEDGERLINE_JOB_SHUTDOWN_GRACE_SECONDS, default 30)."
    )
    var jobShutdownGraceSeconds: Double?

    func settings() throws -> WorkerSettings {
        func number<T: LosslessStringConvertible>(_ flag: T?, env: String, default fallback: T) throws -> T {
            if let flag { return flag }
            guard let text = Settings.value(nil, env: env) else { return fallback }
            guard let value = T(text) else { throw ValidationError("\(env)=\(text) is not a number") }
            return value
        }
        func seconds(_ flag: Double?, env: String, default fallback: Double) throws -> Duration {
            let value = try number(flag, env: env, default: fallback)
            guard value > 0, value <= 86_400 else {
                throw ValidationError("\(env) (or its flag) must be more than 0 and at most 86400 seconds")
            }
            return .milliseconds(Int64((value * 1000).rounded()))
        }
        let concurrency = try number(workerConcurrency, env: "LEDGERLINE_WORKER_CONCURRENCY", default: 4)
        guard (0...256).contains(concurrency) else { throw ValidationError("worker concurrency must be 0–256") }
        return WorkerSettings(
            concurrency: concurrency,
            lease: try seconds(jobLeaseSeconds, env: "LEDGERLINE_JOB_LEASE_SECONDS", default: 60),
            pollInterval: try seconds(jobPollSeconds, env: "LEDGERLINE_JOB_POLL_SECONDS", default: 5),
            retry: RetryPolicy(base: try seconds(jobRetrySeconds, env: "LEDGERLINE_JOB_RETRY_SECONDS", default: 10)),
            shutdownGrace: try seconds(
                jobShutdownGraceSeconds, env: "LEDGERLINE_JOB_SHUTDOWN_GRACE_SECONDS", default: 30)
        )
    }
}
