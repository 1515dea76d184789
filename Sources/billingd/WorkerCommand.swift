import ArgumentParser

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run job workers and the scheduler only (no protocol listener), as billing_app.",
        discussion:
            "SIGTERM lets running jobs finish (or gives them back to the queue after the shutdown grace), then exits."
    )

    @Option(help: "billing_app's connection URL (env LEDGERLINE_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Database connections (env LEDGERLINE_POOL_SIZE, default 10).")
    var poolSize: Int?

    @OptionGroup var workerOptions: WorkerOptions

    @OptionGroup var healthOptions: HealthOptions

    func run() async throws {
        Settings.bootstrapLogging()
        let url = try Settings.required(databaseURL, env: "LEDGERLINE_DATABASE_URL", option: "database-url")
        let settings = try workerOptions.settings()
        guard settings.concurrency > 0 else { throw ValidationError("a worker needs a concurrency of at least 1") }
        let size = poolSize ?? Settings.value(nil, env: "LEDGERLINE_POOL_SIZE").flatMap(Int.init) ?? 10
        let health = try healthOptions.address()
        MetricsExport.bootstrap()
        try await ServerRunner(databaseURL: url, listener: nil, poolSize: size, workers: settings, health: health)
            .run { _ in }
    }
}
