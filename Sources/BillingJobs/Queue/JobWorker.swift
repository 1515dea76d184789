import BillingStore
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// Runs jobs of every tenant, as a `Service`: claims due jobs up to its concurrency, woken by
/// NOTIFY (polling when none comes), renews their leases while they run, retries failures with
/// backoff and buries a job that used its attempts. Any number of workers, in any number of
/// processes, may run side by side.
///
/// On graceful shutdown it claims nothing more and lets running jobs finish; those still running
/// after the grace period are given back to the queue for another worker.
public actor JobWorker: Service {
    private enum State {
        case idle
        case running
        case stopping
        case stopped
    }

    private let store: BillingStore
    private let databaseURL: String
    private let handlers: [String: any JobHandler]
    private let settings: WorkerSettings
    private let logger: Logger
    /// Who holds a lease: unique per worker, so a lease never outlives the process that took it.
    public nonisolated let owner: String
    private var state = State.idle
    private var running: Set<Int64> = []
    private let wake = WakeSignal()

    public init(
        store: BillingStore, databaseURL: String, handlers: [any JobHandler], settings: WorkerSettings,
        logger: Logger
    ) {
        self.store = store
        self.databaseURL = databaseURL
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { _, last in last })
        self.settings = settings
        self.logger = logger
        self.owner =
            "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    public func run() async throws {
        guard case .idle = state else { return }
        state = .running
        logger.info("worker started", metadata: ["owner": "\(owner)", "concurrency": "\(settings.concurrency)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.listen() }
                group.addTask { await self.renewLeases() }
                await self.claimLoop(group: &group)
                await self.drain()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            Task { await self.stop() }
        }
        state = .stopped
        logger.info("worker stopped", metadata: ["owner": "\(owner)"])
    }

    private func stop() {
        guard case .running = state else { return }
        state = .stopping
        wake.signal()
    }

    private var isRunning: Bool {
        if case .running = state { return true }
        return false
    }

    // MARK: - Claiming

    private func claimLoop(group: inout DiscardingTaskGroup) async {
        while isRunning {
            let free = settings.concurrency - running.count
            var claimedAll = false
            if free > 0 {
                do {
                    let jobs = try await store.asWorker { transaction in
                        let claims = JobClaims(transaction)
                        _ = try await claims.buryExhausted()
                        return try await claims.claim(
                            owner: owner, kinds: Array(handlers.keys), limit: free, lease: settings.lease)
                    }
                    for job in jobs {
                        running.insert(job.id)
                        group.addTask { await self.execute(job) }
                    }
                    claimedAll = jobs.count == free
                } catch {
                    logger.error("claiming jobs failed", metadata: ["error": "\(error)"])
                }
            }
            if !claimedAll || running.count >= settings.concurrency {
                await wake.wait(upTo: settings.pollInterval)
            }
        }
    }

    /// Waits for running jobs to finish, up to the grace period; gives back those that do not.
    private func drain() async {
        let deadline = ContinuousClock.now + settings.shutdownGrace
        while !running.isEmpty, ContinuousClock.now < deadline {
            await wake.wait(upTo: .milliseconds(100))
        }
        guard !running.isEmpty else { return }
        let unfinished = Array(running)
        logger.warning("giving back unfinished jobs", metadata: ["jobs": "\(unfinished)"])
        do {
            try await store.asWorker { try await JobClaims($0).release(ids: unfinished, owner: owner) }
        } catch {
            logger.error("giving back jobs failed; their leases will expire", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Running one job

    private struct LeaseLost: Error {}

    private func execute(_ job: JobRecord) async {
        let metadata: Logger.Metadata = ["job": "\(job.id)", "kind": "\(job.kind)", "tenant": "\(job.tenantID)"]
        do {
            guard let handler = handlers[job.kind] else {
                throw NoHandler(kind: job.kind)
            }
            try await handler.prepare(job, store: store)
            try await store.inTenant(job.tenantID) { transaction in
                try await handler.run(job, in: transaction)
                guard try await JobRepository(transaction).complete(id: job.id, owner: owner) else { throw LeaseLost() }
            }
            logger.debug("job completed", metadata: metadata)
        } catch is LeaseLost {
            logger.warning("job lease lost; its work was rolled back", metadata: metadata)
        } catch is CancellationError where !isRunning {
            logger.info("job interrupted by shutdown", metadata: metadata)
        } catch {
            await recordFailure(of: job, error: error, metadata: metadata)
        }
        running.remove(job.id)
        wake.signal()
    }

    private func recordFailure(of job: JobRecord, error: any Error, metadata: Logger.Metadata) async {
        let delay = settings.retry.delay(afterAttempt: job.attempts)
        do {
            let status = try await store.asWorker { transaction in
                try await JobClaims(transaction).failed(
                    id: job.id, owner: owner, error: String(describing: error), retryAfter: delay)
            }
            logger.warning(
                "job failed",
                metadata: metadata.merging(["error": "\(error)", "now": "\(status ?? "lease lost")"]) { $1 })
        } catch {
            logger.error("recording a job failure failed; its lease will expire", metadata: metadata)
        }
    }

    // MARK: - Leases and wake-ups

    private func renewLeases() async {
        let interval = settings.lease / 3
        while (try? await Task.sleep(for: interval)) != nil {
            let held = Array(running)
            guard !held.isEmpty else { continue }
            do {
                let kept = try await store.asWorker {
                    try await JobClaims($0).heartbeat(owner: owner, ids: held, lease: settings.lease)
                }
                if kept.count < held.count {
                    logger.warning("leases lost", metadata: ["jobs": "\(Set(held).subtracting(kept))"])
                }
            } catch  where !Task.isCancelled {
                logger.error("renewing leases failed", metadata: ["error": "\(error)"])
            } catch {
                return
            }
        }
    }

    /// LISTENs for enqueued jobs and wakes the claim loop; reconnects when the connection drops.
    private func listen() async {
        while !Task.isCancelled {
            do {
                let listener = try await PostgresListener.connect(
                    url: databaseURL, channels: [JobRepository.channel], applicationName: "ledgerline-worker")
                defer { Task { await listener.close() } }
                while !Task.isCancelled {
                    if try await !listener.wait(upTo: .seconds(1)).isEmpty { wake.signal() }
                }
            } catch {
                logger.warning("job wake-ups unavailable, polling", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: settings.pollInterval)
            }
        }
    }
}

/// A job of a kind this process has no handler for.
struct NoHandler: Error, CustomStringConvertible {
    let kind: String
    var description: String { "no handler for job kind \(kind) in this process" }
}
