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
    /// Requests each connection keeps in flight.
    let depth: Int
    let seconds: Int

    func run(on database: BenchDatabase, pool: PostgresPool) async throws -> [Figure] {
        let store = BillingStore(pool: pool)
        let created = try await TenantService(store: store).create(
            .init(name: "Protocol", defaultCurrency: "EUR", legalEntity: .init(name: "Protocol SAS", country: "FR")))
        guard let tenant = TenantID(created.tenant.id) else { return [] }
        let accountCount = 1000
        try await database.owner { connection in
            try await connection.execute(
                """
                INSERT INTO accounts (tenant_id, id, name, currency, root_id)
                OVERRIDING SYSTEM VALUE
                SELECT \(tenant.rawValue), 800000000 + n, 'Read ' || n, 'EUR', 800000000 + n
                FROM generate_series(1, \(accountCount)) AS n
                """)
        }
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
        var clients: [BillingClient] = []
        for _ in 0..<connections {
            let client = try await BillingClient.connect(host: "127.0.0.1", port: port)
            _ = try await client.call(Hello.self, .init(apiKey: created.apiKey, apiSecret: created.apiSecret))
            clients.append(client)
        }
        let reads = try await load(clients) { client in
            _ = try await client.call(
                AccountsGet.self, .init(id: String(800_000_000 + Int.random(in: 1...accountCount))))
        }
        let pings = try await load(clients) { client in _ = try await client.call(Ping.self, .init()) }
        for client in clients { await client.close() }
        await server.shutdownGracefully()
        _ = try? await running.value
        let pgbench = try await pgbenchTPS(database)
        return [
            Figure(
                name: "protocol_accounts_get",
                values: reads.values.merging([
                    "baseline": [
                        "what": "pgbench -S, \(connections) clients", "tps": pgbench.map { Figure.round($0) } ?? -1,
                    ],
                    "share_of_baseline": pgbench.map { Figure.round(reads.perSecond / $0, 3) } ?? -1,
                    "target_share": 0.5, "target_p99_ms": 20,
                ]) { $1 }),
            Figure(name: "protocol_ping", values: pings.values),
        ]
    }

    struct Load {
        let perSecond: Double
        let values: [String: Any]
    }

    /// Every connection keeps `depth` calls in flight for `seconds`; requests per second and latency percentiles.
    private func load(
        _ clients: [BillingClient], _ call: @escaping @Sendable (BillingClient) async throws -> Void
    ) async throws -> Load {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for client in clients {
                for _ in 0..<depth {
                    group.addTask {
                        var own: [Double] = []
                        while ContinuousClock.now < deadline {
                            let start = ContinuousClock.now
                            try await call(client)
                            let elapsed = ContinuousClock.now - start
                            own.append(
                                Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds)
                                    / 1e15)
                        }
                        return own
                    }
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }.sorted()
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return -1 }
            return Figure.round(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))], 3)
        }
        let perSecond = Double(latencies.count) / seconds
        return Load(
            perSecond: perSecond,
            values: [
                "connections": clients.count, "in_flight_per_connection": depth, "seconds": Figure.round(seconds),
                "requests": latencies.count, "requests_per_second": Figure.round(perSecond),
                "p50_ms": percentile(0.5), "p99_ms": percentile(0.99),
            ])
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
        let perClient = max(100, seconds * 20_000 / connections)
        let output = try run(
            pgbench, ["-S", "-n", "-c", "\(connections)", "-j", "2", "-t", "\(perClient)", url])
        let line = output.split(separator: "\n").first { $0.hasPrefix("tps = ") }
        return line.flatMap { Double($0.dropFirst(6).prefix { $0 != " " }) }
    }

    private func run(_ executable: URL, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
