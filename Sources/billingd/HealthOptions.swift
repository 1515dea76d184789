import ArgumentParser

/// Where the HTTP health and metrics port listens, if anywhere.
struct HealthOptions: ParsableArguments {
    @Option(help: "HOST:PORT of the HTTP /health and /metrics port (env LEDGERLINE_HEALTH_LISTEN; default off).")
    var healthListen: String?

    func address() throws -> (host: String, port: Int)? {
        try Settings.value(healthListen, env: "LEDGERLINE_HEALTH_LISTEN").map(Settings.listenAddress)
    }
}
