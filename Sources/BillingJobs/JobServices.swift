import BillingStore
import Logging
import ServiceLifecycle

/// The job services one process runs: a worker for queued jobs and the scheduler that fires
/// periodic ones. Every process may run them; none needs to be the only one.
public enum JobServices {
    public static func make(
        store: BillingStore, databaseURL: String, handlers: [any JobHandler] = JobHandlers.all,
        settings: WorkerSettings, logger: Logger
    ) -> [any Service] {
        [
            JobWorker(store: store, databaseURL: databaseURL, handlers: handlers, settings: settings, logger: logger),
            JobScheduler(store: store, builtIn: BuiltInSchedule.all, interval: settings.pollInterval, logger: logger),
        ]
    }
}
