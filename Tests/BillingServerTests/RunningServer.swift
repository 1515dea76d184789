import BillingClient
import BillingProtocol
import BillingServer
import BillingServices
import BillingStore
import Logging
import NIOCore
import Postgres
import TestSupport

/// A real server on a free port of 127.0.0.1, backed by the test database as `billing_app`.
struct RunningServer {
    static let operatorToken = "operator-token-for-tests"

    let server: BillingServer
    let port: Int
    let pool: PostgresPool
    let running: Task<Void, any Error>

    /// Starts a server on `pool` (the shared test database as billing_app when nil).
    static func start(
        settings: ServerSettings = ServerSettings(port: 0),
        pool givenPool: PostgresPool? = nil,
        maxUnacknowledgedEvents: Int64 = 10_000,
        eventAcknowledgementTimeout: Duration = .seconds(30),
        extraMethods: (inout MethodTable) -> Void = { _ in }
    ) async throws -> RunningServer {
        let pool: PostgresPool
        if let givenPool {
            pool = givenPool
        } else {
            pool = try await TestDatabase.shared.appPool(maxConnections: 8)
        }
        let store = BillingStore(pool: pool)
        var methods = BillingMethods.table(store: store)
        extraMethods(&methods)
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        let wakeups = EventWakeups(databaseURL: try await TestDatabase.shared.appURL, logger: logger)
        let listening = Task { try await wakeups.run() }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server = BillingServer(
            settings: settings,
            methods: methods,
            authenticator: Authenticator(store: store, operatorToken: OperatorToken(operatorToken)),
            // A long idle read: pushes that arrive at once were woken by the commit's NOTIFY.
            events: EventFeed(
                store: store, wakeups: wakeups, maxUnacknowledged: maxUnacknowledgedEvents, idleRead: .seconds(30),
                acknowledgementTimeout: eventAcknowledgementTimeout),
            logger: logger,
            onListening: { address in
                portContinuation.yield(address.port ?? 0)
                portContinuation.finish()
            }
        )
        let running = Task {
            defer { listening.cancel() }
            try await server.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ClientError.closed }
        return RunningServer(server: server, port: port, pool: pool, running: running)
    }

    func stop() async throws {
        await server.shutdownGracefully()
        try await running.value
        await pool.close()
    }

    func connect() async throws -> BillingClient {
        try await BillingClient.connect(host: "127.0.0.1", port: port)
    }

    func operatorClient() async throws -> BillingClient {
        let client = try await connect()
        _ = try await client.call(Hello.self, Hello.Params(operatorToken: Self.operatorToken, client: "tests"))
        return client
    }

    /// A new tenant, and a client that said hello as it.
    func tenantClient(
        name: String = "Tenant \(UInt32.random(in: 0 ... .max))", legalEntityAddress: Address? = nil
    ) async throws
        -> (client: BillingClient, tenant: TenantsCreate.Result)
    {
        let operatorSession = try await operatorClient()
        let created = try await operatorSession.call(
            TenantsCreate.self,
            .init(
                name: name, defaultCurrency: "EUR", timezone: "Europe/Paris",
                legalEntity: .init(name: "\(name) SAS", country: "FR", address: legalEntityAddress))
        )
        await operatorSession.close()
        let client = try await connect()
        _ = try await client.call(Hello.self, Hello.Params(apiKey: created.apiKey, apiSecret: created.apiSecret))
        return (client, created)
    }
}

/// Raw protocol lines for framing tests.
enum Line {
    static func request(id: String, method: String, params: String = "{}") -> [UInt8] {
        Array(#"{"jsonrpc":"2.0","id":"\#(id)","method":"\#(method)","params":\#(params)}"#.utf8) + [UInt8(ascii: "\n")]
    }
}

/// A test-only method that holds each request until released, counting how many run at once.
enum Hold: RPCMethod {
    static let name = "test.hold"
    static let access = MethodAccess.anyone
    typealias Params = NoParams
    typealias Result = Ping.Result
}

actor HoldGate {
    private(set) var running = 0
    private(set) var mostAtOnce = 0
    private var released = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        running += 1
        mostAtOnce = max(mostAtOnce, running)
        if !released { await withCheckedContinuation { waiters.append($0) } }
        running -= 1
    }

    func release() {
        released = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }

    /// Waits until `count` requests are held (or ten seconds pass).
    func waitForRunning(_ count: Int) async {
        for _ in 0..<1000 where running < count {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

extension MethodTable {
    mutating func registerHold(_ gate: HoldGate) {
        register(Hold.self) { _, _ in
            await gate.enter()
            return Ping.Result(pong: true)
        }
    }
}
