import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import Postgres
import Synchronization

/// Figure 2: order activations that each write twelve monthly transactions, against a COPY of
/// as many billing-transaction rows; one order per call (`orders.activate`) or many
/// (`orders.activate_many`).
struct ActivationBenchmark {
    let orders: Int
    let ordersPerCall: Int
    let concurrency: Int

    func run(on database: BenchDatabase, store: BillingStore) async throws -> [Figure] {
        let created = try await TenantService(store: store).create(
            .init(name: "Activation", defaultCurrency: "EUR", legalEntity: .init(name: "Activation SAS", country: "FR"))
        )
        guard let tenant = TenantID(created.tenant.id) else { return [] }
        let orderIDs = try await database.owner { connection in
            try await connection.query(Self.drafts(tenant: tenant, orders: orders)).map {
                try $0.decode("id", as: Int64.self)
            }
        }
        try await database.analyze()
        let service = OrderService(store: store)
        let queue = WorkQueue(orderIDs)
        let activationDate = CalendarDate(year: 2026, month: 1, day: 1)
        let seconds = try await Figure.time {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while case let ids = queue.next(ordersPerCall), !ids.isEmpty {
                            if ordersPerCall == 1 {
                                _ = try await service.activate(
                                    .init(id: String(ids[0]), activationDate: activationDate), tenant: tenant)
                            } else {
                                _ = try await service.activateMany(
                                    .init(ids: ids.map(String.init), activationDate: activationDate), tenant: tenant)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let written = try await database.owner {
            try await $0.query("SELECT count(*) AS n FROM billing_transactions WHERE tenant_id = \(tenant.rawValue)")[0]
                .decode("n", as: Int.self)
        }
        let baseline = try await copyBaseline(rows: written, database: database)
        let perSecond = Double(written) / seconds
        let floor = Double(written) / baseline
        return [
            Figure(
                name: "activation",
                values: [
                    "orders": orders, "transactions": written, "seconds": Figure.round(seconds),
                    "transactions_per_second": Figure.round(perSecond), "orders_per_call": ordersPerCall,
                    "concurrency": concurrency,
                    "baseline": [
                        "what": "COPY of as many billing-transaction rows", "seconds": Figure.round(baseline),
                        "rows_per_second": Figure.round(floor),
                    ],
                    "share_of_baseline": Figure.round(perSecond / floor, 3), "target_share": 0.25,
                ])
        ]
    }

    /// Draft orders of one monthly item for 2026, one per account, in bulk.
    static func drafts(tenant: TenantID, orders: Int) -> PostgresQuery {
        let t = tenant.rawValue
        return """
            WITH product AS (
                INSERT INTO products (tenant_id, code, name) VALUES (\(t), 'A', 'Activated') RETURNING id
            ), service AS (
                INSERT INTO product_services (tenant_id, product_id, code, name, kind, position)
                SELECT \(t), id, 'seat', 'Seat', 'recurring', 1 FROM product RETURNING product_id
            ), process AS (
                INSERT INTO billing_processes (tenant_id, name, kind, frequency)
                VALUES (\(t), 'Monthly', 'recurring', 'monthly') RETURNING id
            ), accounts AS (
                INSERT INTO accounts (tenant_id, id, name, currency, root_id)
                OVERRIDING SYSTEM VALUE
                SELECT \(t), 900000000 + n, 'Buyer ' || n, 'EUR', 900000000 + n FROM generate_series(1, \(orders)) AS n
                RETURNING id
            ), orders AS (
                INSERT INTO orders (tenant_id, account_id, type, currency, start_date, end_date, billing_day)
                SELECT \(t), id, 'subscription', 'EUR', '2026-01-01', '2026-12-31', 1 FROM accounts
                RETURNING id
            ), items AS (
                INSERT INTO order_items (tenant_id, order_id, product_id, service_code, quantity, pricing_model,
                    unit_price, price_source, billing_process_id, start_date, end_date, billing_day)
                SELECT \(t), o.id, s.product_id, 'seat', 1, 'per_unit', 12.5, 'explicit', p.id, '2026-01-01', '2026-12-31', 1
                FROM orders o, service s, process p
                RETURNING order_id
            )
            SELECT order_id AS id FROM items ORDER BY order_id
            """
    }

    private func copyBaseline(rows: Int, database: BenchDatabase) async throws -> Double {
        try await database.owner { connection in
            try await connection.execute("CREATE TABLE bench_billing_transactions (LIKE billing_transactions)")
            let chunk = 50_000
            return try await Figure.time {
                var written = 0
                while written < rows {
                    let count = min(chunk, rows - written)
                    let batch: [[any PostgresEncodable]] = (0..<count).map { offset in
                        let index = written + offset
                        return [
                            1, index, index / 12, index / 12, index, "period:2026-\(index % 12 + 1)-01", "recurring",
                            "2026-01-01", "2026-01-01", "2026-01-31", "12.50", "EUR", "pending",
                            "2026-01-01 00:00:00+00",
                            "2026-01-01 00:00:00+00",
                        ]
                    }
                    _ = try await connection.copyFrom(
                        "COPY bench_billing_transactions (tenant_id, id, order_id, order_item_id, account_id, key, kind, "
                            + "billing_date, period_start, period_end, amount, currency, status, created_at, updated_at) "
                            + "FROM STDIN",
                        rows: batch)
                    written += count
                }
            }
        }
    }
}

/// Order ids handed out to the activating tasks, each once.
final class WorkQueue: Sendable {
    private let ids: Mutex<ArraySlice<Int64>>

    init(_ ids: [Int64]) {
        self.ids = Mutex(ids[...])
    }

    /// Up to `count` ids not handed out yet; empty when all were.
    func next(_ count: Int) -> [Int64] {
        ids.withLock { ids in
            let taken = ids.prefix(count)
            ids.removeFirst(taken.count)
            return Array(taken)
        }
    }
}
