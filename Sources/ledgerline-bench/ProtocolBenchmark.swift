import BillingClient
import BillingCore
import BillingProtocol
import BillingServer
import BillingServices
import BillingStore
import Foundation
import Logging
import Postgres

/// Figures 3 and 4: many connections pipelining `accounts.get` (against `pgbench -S` on the same
/// PostgreSQL) and `ping` (the server's own ceiling).
struct ProtocolBenchmark {
    let connections: Int
    let depth: Int
    let seconds: Int

    func run(on database: BenchDatabase, pool: PostgresPool) async throws -> [Figure] {
        let store = BillingStore(pool: pool)
        let created = try await TenantService(store: store).create(
            .init(name: "Protocol", defaultCurrency: "EUR", legalEntity: .init(name: "Protocol SAS", country: "FR")))
        guard let tenant = TenantID(created.tenant.id) else { return [] }
        try await database.owner { connection in
            try await connection.execute(
                """
                INSERT INTO accounts (tenant_id, id, name, currency, root_id)
                OVERRIDING SYSTEM VALUE
                SELECT \(tenant.rawValue), n, 'Read ' || n, 'EUR', n
                FROM generate_series(\(LoadDriver.accountIDs.lowerBound)::bigint, \(LoadDriver.accountIDs.upperBound)::bigint) AS n
                """)
        }
        try await database.analyze()
        var logger = Logger(label: "bench-server")
        logger.logLevel = .warning
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server = BillingServer(
            settings: ServerSettings(port: 0), methods: BillingMethods.table(store: store),
            authenticator: Authenticator(store: store, operatorToken: nil), logger: logger,
            onListening: { address in
                portContinuation.yield(address.port ?? 0)
                portContinuation.finish()
            })
        let running = Task { try await server.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return [] }
        // The clients run in a process of their own, as partners' would.
        let reads = try drive("accounts.get", port: port, credentials: created)
        let pings = try drive("ping", port: port, credentials: created)
        await server.shutdownGracefully()
        _ = try? await running.value
        let pgbench = try await pgbenchTPS(database)
        return [
            Figure(
                name: "protocol_accounts_get",
                values: reads.merging([
                    "baseline": [
                        "what": "pgbench -S, \(connections) clients", "tps": pgbench.map { Figure.round($0) } ?? -1,
                    ],
                    "share_of_baseline": pgbench.map {
                        Figure.round((reads["requests_per_second"] as? Double ?? 0) / $0, 3)
                    } ?? -1,
                    "target_share": 0.5, "target_p99_ms": 20,
                ]) { $1 }),
            Figure(name: "protocol_ping", values: pings),
        ]
    }

    /// `pgbench -S` with as many clients, on its own database of the same cluster; nil when
    /// pgbench is not installed.
    private func pgbenchTPS(_ database: BenchDatabase) async throws -> Double? {
        let pgbench = database.cluster.binDirectory.appendingPathComponent("pgbench")
        guard FileManager.default.isExecutableFile(atPath: pgbench.path) else { return nil }
        try await database.owner { try await $0.execute("CREATE DATABASE pgbench") }
        let url = database.cluster.superuserURL(database: "pgbench")
        _ = try run(pgbench, ["-i", "-q", "-s", "1", url])
        // A count of transactions, not -T: pgbench's timer does not fire when spawned from here.
        // About `seconds` long on a machine like docs/performance.md's: 15,000 TPS in all, 3,000 at
        // most per client.
        let perClient = max(100, min(seconds * 15_000 / connections, seconds * 3_000))
        let output = try run(
            pgbench, ["-S", "-n", "-c", "\(connections)", "-j", "2", "-t", "\(perClient)", url])
        let line = output.split(separator: "\n").first { $0.hasPrefix("tps = ") }
        return line.flatMap { Double($0.dropFirst(6).prefix { $0 != " " }) }
    }

    /// Runs this executable as the load driver against `port` and returns its figures.
    private func drive(_ method: String, port: Int, credentials: TenantsCreate.Result) throws -> [String: Any] {
        var environment = ProcessInfo.processInfo.environment
        environment["LEDGERLINE_API_KEY"] = credentials.apiKey
        environment["LEDGERLINE_API_SECRET"] = credentials.apiSecret
        let output = try run(
            URL(fileURLWithPath: CommandLine.arguments[0]),
            [
                "--load-port", "\(port)", "--load-method", method, "--seconds", "\(seconds)", "--connections",
                "\(connections)", "--depth", "\(depth)",
            ], environment: environment)
        let data = Data(output.utf8)
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    private func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
