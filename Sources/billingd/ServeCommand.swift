import ArgumentParser
import BillingServices

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the protocol and run job workers, connected to the database as billing_app."
    )

    @Option(help: "billing_app's connection URL (env LEDGERLINE_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "HOST:PORT to listen on (env LEDGERLINE_LISTEN, default 127.0.0.1:7070).")
    var listen: String?

    @Option(help: "File holding the operator token (env LEDGERLINE_OPERATOR_TOKEN_FILE).")
    var operatorTokenFile: String?

    @Option(help: "Database connections (env LEDGERLINE_POOL_SIZE, default 10).")
    var poolSize: Int?

    @Option(
        help:
            "Requests one tenant may have in flight across its connections; beyond it, overloaded (env LEDGERLINE_MAX_IN_FLIGHT_PER_TENANT, default 256)."
    )
    var maxInFlightPerTenant: Int?

    @OptionGroup var workerOptions: WorkerOptions

    @OptionGroup var tlsOptions: TLSOptions

    @OptionGroup var healthOptions: HealthOptions

    func run() async throws {
        Settings.bootstrapLogging()
        let url = try Settings.required(databaseURL, env: "LEDGERLINE_DATABASE_URL", option: "database-url")
        let address = try Settings.listenAddress(Settings.value(listen, env: "LEDGERLINE_LISTEN") ?? "127.0.0.1:7070")
        let tokenFile = Settings.value(operatorTokenFile, env: "LEDGERLINE_OPERATOR_TOKEN_FILE")
        let token = try tokenFile.map { OperatorToken(try Settings.readSecretFile($0)) }
        let size = poolSize ?? Settings.value(nil, env: "LEDGERLINE_POOL_SIZE").flatMap(Int.init) ?? 10
        let perTenant =
            maxInFlightPerTenant ?? Settings.value(nil, env: "LEDGERLINE_MAX_IN_FLIGHT_PER_TENANT").flatMap(Int.init)
            ?? 256
        guard perTenant > 0 else { throw ValidationError("--max-in-flight-per-tenant must be at least 1") }
        let listener = ServerRunner.Listener(
            host: address.host, port: address.port, operatorToken: token, maxInFlightPerTenant: perTenant,
            tls: try tlsOptions.context())
        let runner = ServerRunner(
            databaseURL: url, listener: listener, poolSize: size, workers: try workerOptions.settings(),
            health: try healthOptions.address())
        MetricsExport.bootstrap()
        try await runner.run { _ in }
    }
}
