import BillingClient
import BillingProtocol
import Foundation

/// The clients of the protocol figures, run by this executable in a process of its own
/// (`--load-port`): `connections` connections, each keeping `depth` requests in flight.
struct LoadDriver {
    let port: Int
    let connections: Int
    let depth: Int
    let seconds: Int

    /// The accounts `accounts.get` reads: those ProtocolBenchmark writes.
    static let accountIDs = 800_000_001...800_001_000

    func run(method: String, apiKey: String, apiSecret: String) async throws -> [String: Any] {
        var clients: [BillingClient] = []
        for _ in 0..<connections {
            let client = try await BillingClient.connect(host: "127.0.0.1", port: port)
            _ = try await client.call(Hello.self, .init(apiKey: apiKey, apiSecret: apiSecret))
            clients.append(client)
        }
        let result: Load
        if method == "ping" {
            result = try await load(clients) { client in _ = try await client.call(Ping.self, .init()) }
        } else {
            result = try await load(clients) { client in
                _ = try await client.call(AccountsGet.self, .init(id: String(Int.random(in: Self.accountIDs))))
            }
        }
        for client in clients { await client.close() }
        return result.values
    }

    struct Load {
        let perSecond: Double
        let values: [String: Any]
    }

    /// Every connection keeps `depth` calls in flight for `seconds`; requests per second and latency percentiles.
    func load(
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

}
