import BillingClient
import BillingCore
import BillingProtocol
import BillingServer
import BillingServices
import BillingStore
import Foundation
import Logging
import Postgres

/// Figure 5: usage events recorded over one protocol connection in batches of 1,000
/// (`usage.record`, each batch one round trip and one transaction), against a COPY of the same
/// rows into a table like `usage_events`.
struct UsageBenchmark {
    let events: Int
    static let batchSize = 1_000

    func run(on database: BenchDatabase, store: BillingStore) async throws -> [Figure] {
        let created = try await TenantService(store: store).create(
            .init(name: "Usage", defaultCurrency: "EUR", legalEntity: .init(name: "Usage SAS", country: "FR")))
        guard let tenant = TenantID(created.tenant.id) else { return [] }
        let item = try await meteredItem(tenant: tenant, store: store)
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
        let batches = (events + Self.batchSize - 1) / Self.batchSize
        let hello =
            Array(
                #"{"jsonrpc":"2.0","id":0,"method":"hello","params":{"api_key":"\#(created.apiKey)","api_secret":"\#(created.apiSecret)"}}"#
                    .utf8) + [10]
        let requests = (0..<batches).map { Self.request($0, item: item) }
        let (seconds, answers) = try await LineConnection.onThread {
            let connection = try LineConnection(port: port)
            _ = try connection.roundTrip(hello)
            var answers: [[UInt8]] = []
            let start = ContinuousClock.now
            for request in requests { answers.append(try connection.roundTrip(request)) }
            let elapsed = ContinuousClock.now - start
            return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, answers)
        }
        let recorded = try answers.reduce(0) { total, answer in
            guard
                let object = try JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any],
                let result = object["result"] as? [String: Any], let count = result["recorded"] as? Int
            else { throw LineConnection.Failure(description: String(decoding: answer, as: UTF8.self)) }
            return total + count
        }
        await server.shutdownGracefully()
        _ = try? await running.value
        let baseline = try await copyBaseline(batches: batches, item: item, database: database)
        let perSecond = Double(recorded) / seconds
        let floor = Double(batches * Self.batchSize) / baseline
        return [
            Figure(
                name: "usage_record",
                values: [
                    "events": recorded, "batch": Self.batchSize, "connections": 1, "seconds": Figure.round(seconds),
                    "events_per_second": Figure.round(perSecond),
                    "baseline": [
                        "what": "COPY of the same rows into a table like usage_events, its primary key included",
                        "seconds": Figure.round(baseline), "rows_per_second": Figure.round(floor),
                    ],
                    "share_of_baseline": Figure.round(perSecond / floor, 3), "target_share": 0.3,
                    "target_events_per_second": 50_000,
                ])
        ]
    }

    /// A usage item billed monthly from 2026-01-01, of an account of the tenant.
    private func meteredItem(tenant: TenantID, store: BillingStore) async throws -> String {
        guard let start = CalendarDate(year: 2026, month: 1, day: 1) else { return "" }
        let product = try await CatalogService(store: store).createProduct(
            ProductInput(
                code: "API", name: "API", services: [ProductService(code: "calls", name: "Calls", kind: "usage")]),
            tenant: tenant)
        let process = try await BillingProcessService(store: store).create(
            .init(name: "Usage", kind: "usage", frequency: "monthly"), tenant: tenant)
        let account = try await AccountService(store: store).create(
            AccountInput(name: "Metered", currency: "EUR", billingDay: 1), tenant: tenant)
        let orders = OrderService(store: store)
        let order = try await orders.create(
            .init(
                accountId: account.id, type: "subscription", startDate: start,
                items: [
                    OrderItemInput(
                        productId: product.id, quantity: Decimal6(1), unitPrice: Decimal6(scaled: 50_000),
                        billingProcessId: process.id)
                ]), tenant: tenant)
        let active = try await orders.activate(
            .init(id: order.id, activationDate: start), tenant: tenant)
        return active.items[0].id
    }

    /// Batch `number`: events spread over 2026's first eleven months.
    static func batch(_ number: Int, item: String) -> [UsageEventInput] {
        (0..<batchSize).map { offset in
            let index = number * batchSize + offset
            let month = index % 11 + 1
            let day = index % 28 + 1
            return UsageEventInput(
                eventId: "evt-\(index)", orderItemId: item, metric: "calls", quantity: Decimal6(index % 50 + 1),
                at: "2026-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)T12:00:00Z")
        }
    }

    /// Batch `number` as the request line a partner sends.
    static func request(_ number: Int, item: String) -> [UInt8] {
        let events = batch(number, item: item).map { event in
            #"{"event_id":"\#(event.eventId)","order_item_id":"\#(item)","metric":"\#(event.metric)","quantity":"\#(event.quantity)","at":"\#(event.at)"}"#
        }
        return Array(
            #"{"jsonrpc":"2.0","id":\#(number + 1),"method":"usage.record","params":{"events":[\#(events.joined(separator: ","))]}}"#
                .utf8) + [10]
    }

    private func copyBaseline(batches: Int, item: String, database: BenchDatabase) async throws -> Double {
        try await database.owner { connection in
            try await connection.execute("CREATE TABLE bench_usage_events (LIKE usage_events INCLUDING ALL)")
            return try await Figure.time {
                for number in 0..<batches {
                    let rows: [[any PostgresEncodable]] = Self.batch(number, item: item).map { event in
                        [
                            1, event.eventId, item, event.metric, event.quantity.description, event.at,
                            String(event.at.prefix(10)), String(event.at.prefix(8)) + "01", "2026-01-01 00:00:00+00",
                        ]
                    }
                    _ = try await connection.copyFrom(
                        "COPY bench_usage_events (tenant_id, event_id, order_item_id, metric, quantity, occurred_at, "
                            + "day, period_start, recorded_at) FROM STDIN",
                        rows: rows)
                }
            }
        }
    }
}
