/// How a process runs jobs.
public struct WorkerSettings: Sendable {
    /// Jobs run at once by this process.
    public var concurrency: Int
    /// How long a claimed job stays this worker's without a heartbeat; a worker that dies loses its
    /// jobs to another after this long. Heartbeats come every third of it.
    public var lease: Duration
    /// How often the queue and the schedules are checked when no NOTIFY arrives.
    public var pollInterval: Duration
    public var retry: RetryPolicy
    /// On SIGTERM, how long running jobs may take to finish before they are given back to the queue.
    public var shutdownGrace: Duration

    public init(
        concurrency: Int = 4, lease: Duration = .seconds(60), pollInterval: Duration = .seconds(5),
        retry: RetryPolicy = RetryPolicy(), shutdownGrace: Duration = .seconds(30)
    ) {
        self.concurrency = concurrency
        self.lease = lease
        self.pollInterval = pollInterval
        self.retry = retry
        self.shutdownGrace = shutdownGrace
    }
}
