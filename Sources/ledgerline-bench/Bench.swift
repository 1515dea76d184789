import ArgumentParser
import BillingStore
import Foundation
import Postgres

/// `make bench`: builds its data in a throwaway PostgreSQL and prints one JSON line per figure,
/// each with the same run's baseline (docs/performance.md).
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledgerline-bench", abstract: "Measure invoice runs, activation, usage recording and the protocol."
    )

    @Flag(help: "Small sizes: finishes in a few minutes.")
    var quick = false

    @Option(help: "Accounts invoiced (default 100000; quick 5000).")
    var accounts: Int?

    @Option(help: "Monthly items per account (default 10; quick 4).")
    var itemsPerAccount: Int?

    @Option(help: "Orders activated (default 100000; quick 2000).")
    var activations: Int?

    @Option(help: "Orders per activation call: 1 uses orders.activate, more orders.activate_many (default 500).")
    var ordersPerActivation = 500

    @Option(help: "Usage events recorded (default 200000; quick 20000).")
    var usageEvents: Int?

    @Option(help: "Seconds each protocol load runs (default 10; quick 3).")
    var seconds: Int?

    @Option(help: "Protocol connections.")
    var connections = 64

    @Option(help: "Requests in flight on each protocol connection.")
    var depth = 4

    @Option(
        help:
            "Only these figures, comma-separated: invoice_run, invoice_run_partitioned, activation, protocol, usage, pdf (default all)."
    )
    var only: String?

    @Option(help: .hidden)
    var loadPort: Int?

    @Option(help: .hidden)
    var loadMethod = "accounts.get"

    static let figures: Set<String> = [
        "invoice_run", "invoice_run_partitioned", "activation", "protocol", "usage", "pdf",
    ]

    func validate() throws {
        let unknown = Set((only ?? "").split(separator: ",").map(String.init)).subtracting(Self.figures)
        guard unknown.isEmpty else {
            throw ValidationError(
                "--only takes \(Self.figures.sorted().joined(separator: ", ")), not \(unknown.sorted())")
        }
        guard (1...500).contains(ordersPerActivation) else {
            throw ValidationError("--orders-per-activation takes 1 to 500 (what orders.activate_many accepts)")
        }
    }

    func run() async throws {
        if let loadPort {
            let environment = ProcessInfo.processInfo.environment
            let values = try await LoadDriver(
                port: loadPort, connections: connections, depth: depth, seconds: seconds ?? 10
            ).run(
                method: loadMethod, apiKey: environment["LEDGERLINE_API_KEY"] ?? "",
                apiSecret: environment["LEDGERLINE_API_SECRET"] ?? "")
            let data = try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])
            FileHandle.standardOutput.write(data + Data("\n".utf8))
            return
        }
        let chosen = only.map { Set($0.split(separator: ",").map(String.init)) } ?? Self.figures
        if chosen.contains("pdf") { for figure in try await PDFBenchmark().run() { figure.print() } }
        guard !chosen.subtracting(["pdf"]).isEmpty else { return }
        let database = try await BenchDatabase.start()
        defer { database.stop() }
        let interruptions = Self.stopping(database, on: [SIGINT, SIGTERM])
        defer { for source in interruptions { source.cancel() } }
        try await PostgresPool.using(.init(url: database.appURL, maxConnections: 16)) { pool in
            let store = BillingStore(pool: pool)
            if chosen.contains("invoice_run") {
                let invoicing = InvoiceRunBenchmark(
                    tenants: 10, accounts: accounts ?? (quick ? 5000 : 100_000),
                    itemsPerAccount: itemsPerAccount ?? (quick ? 4 : 10))
                for figure in try await invoicing.run(on: database, store: store) { figure.print() }
            }
            if chosen.contains("invoice_run_partitioned") {
                let partitioned = PartitionedRunBenchmark(
                    accounts: (accounts ?? (quick ? 5000 : 100_000)) / 5,
                    itemsPerAccount: itemsPerAccount ?? (quick ? 4 : 10), partitions: 2)
                for figure in try await partitioned.run(on: database, store: store) { figure.print() }
            }
            if chosen.contains("activation") {
                let activation = ActivationBenchmark(
                    orders: activations ?? (quick ? 2000 : 100_000), ordersPerCall: ordersPerActivation,
                    concurrency: ordersPerActivation == 1 ? 8 : 2)
                for figure in try await activation.run(on: database, store: store) { figure.print() }
            }
            if chosen.contains("usage") {
                let usage = UsageBenchmark(events: usageEvents ?? (quick ? 20_000 : 200_000))
                for figure in try await usage.run(on: database, store: store) { figure.print() }
            }
            if chosen.contains("protocol") {
                let protocolLoad = ProtocolBenchmark(
                    connections: connections, depth: depth, seconds: seconds ?? (quick ? 3 : 10))
                for figure in try await protocolLoad.run(on: database, pool: pool) { figure.print() }
            }
        }
    }

    /// Stops the throwaway cluster when the bench is interrupted (Ctrl-C, `kill`), which would
    /// otherwise leave its PostgreSQL running, then exits as the signal would have.
    private static func stopping(_ database: BenchDatabase, on signals: [Int32]) -> [any DispatchSourceSignal] {
        signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                database.stop()
                Foundation.exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}
