import ArgumentParser
import BillingServices
import BillingStore
import EmbeddedPostgres
import Foundation

struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run everything on this machine: a private PostgreSQL under --data-dir, migrated, and the server.",
        discussion: """
            Prints one JSON line when ready: {"listen", "database_url", "operator_token_file"}.
            SIGTERM or Ctrl-C stops the server, then the private PostgreSQL.
            """
    )

    @Option(help: "Folder for the private cluster, the operator token and billing_app's password.")
    var dataDir: String

    @Option(help: "HOST:PORT to listen on.")
    var listen: String = "127.0.0.1:7070"

    @OptionGroup var workerOptions: WorkerOptions

    @OptionGroup var tlsOptions: TLSOptions

    @OptionGroup var healthOptions: HealthOptions

    func run() async throws {
        Settings.bootstrapLogging()
        let address = try Settings.listenAddress(listen)
        let tls = try tlsOptions.context()
        let health = try healthOptions.address()
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true).standardizedFileURL
        var cluster = try EmbeddedCluster(directory: directory)
        try cluster.initializeIfNeeded()
        try cluster.start()
        do {
            let tokenFile = directory.appendingPathComponent("operator-token")
            let token = try Self.secret(in: tokenFile)
            let appPassword = try Self.secret(in: directory.appendingPathComponent("billing-app-password"))
            let sqlDirectory = try Migration.locateDirectory(startingAt: Settings.migrationsSearchStart())
            let migrations = try Migration.load(from: sqlDirectory)
            let provisionedCluster = cluster
            try await DatabaseProvisioner(
                superuserURL: { provisionedCluster.superuserURL(database: $0) },
                migrations: migrations, reports: try ReportView.load(besides: sqlDirectory)
            ).provision(database: "ledgerline", appPassword: appPassword)
            let databaseURL = cluster.tcpURL(database: "ledgerline", user: "billing_app", password: appPassword)
            MetricsExport.bootstrap()
            try await ServerRunner(
                databaseURL: databaseURL,
                listener: .init(host: address.host, port: address.port, operatorToken: OperatorToken(token), tls: tls),
                poolSize: 10,
                workers: try workerOptions.settings(),
                health: health
            ).run { bound in
                let ready = [
                    "listen": "\(address.host):\(bound.port ?? address.port)",
                    "database_url": databaseURL,
                    "operator_token_file": tokenFile.path,
                ]
                if let line = try? JSONSerialization.data(
                    withJSONObject: ready, options: [.sortedKeys, .withoutEscapingSlashes])
                {
                    FileHandle.standardOutput.write(line + Data("\n".utf8))
                }
            }
        } catch {
            if cluster.isRunning() { try? cluster.stop() }
            throw error
        }
        if cluster.isRunning() { try cluster.stop() }
    }

    /// Reads a secret kept in `file`, generating it (owner-readable only) the first time.
    static func secret(in file: URL) throws -> String {
        if let existing = try? String(contentsOf: file, encoding: .utf8) {
            let trimmed = existing.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { return trimmed }
        }
        let secret = OperatorToken.generate()
        let written = FileManager.default.createFile(
            atPath: file.path,
            contents: Data((secret + "\n").utf8),
            attributes: [.posixPermissions: 0o600]
        )
        guard written else { throw ValidationError("cannot write \(file.path)") }
        return secret
    }
}
