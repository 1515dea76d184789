import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import Postgres

/// Figure 1: one invoice run per tenant over every account's due monthly items, against a COPY
/// of as many invoice-line rows into a table of the same shape.
struct InvoiceRunBenchmark {
    let tenants: Int
    let accounts: Int
    let itemsPerAccount: Int

    func run(on database: BenchDatabase, store: BillingStore) async throws -> [Figure] {
        var tenantIDs: [TenantID] = []
        for index in 0..<tenants {
            tenantIDs.append(
                try await Self.tenant(
                    named: "Bench \(index)", base: Int64(index + 1) * 100_000_000, accounts: accounts / tenants,
                    items: itemsPerAccount, database: database, store: store))
        }
        try await database.analyze()
        let lines = try await database.owner {
            try await $0.query("SELECT count(*) AS n FROM billing_transactions WHERE status = 'pending'")[0].decode(
                "n", as: Int.self)
        }
        var documents = 0
        let seconds = try await Figure.time {
            documents = try await withThrowingTaskGroup(of: Int.self) { group in
                var next = tenantIDs.makeIterator()
                var total = 0
                for _ in 0..<2 {
                    if let tenant = next.next() { group.addTask { try await Self.invoice(tenant, store: store) } }
                }
                while let finished = try await group.next() {
                    total += finished
                    if let tenant = next.next() { group.addTask { try await Self.invoice(tenant, store: store) } }
                }
                return total
            }
        }
        let peak = Figure.peakRSSMegabytes()
        let baseline = try await copyBaseline(rows: lines, database: database)
        return [
            Figure(
                name: "invoice_run",
                values: [
                    "tenants": tenants, "accounts": accounts, "lines": lines, "documents": documents,
                    "seconds": Figure.round(seconds), "documents_per_second": Figure.round(Double(documents) / seconds),
                    "lines_per_second": Figure.round(Double(lines) / seconds), "peak_rss_mb": peak ?? -1,
                    "baseline": ["what": "COPY of as many invoice-line rows", "seconds": Figure.round(baseline)],
                    "ratio_to_baseline": Figure.round(seconds / baseline), "target_ratio": 5, "target_peak_rss_mb": 500,
                ])
        ]
    }

    private static func invoice(_ tenant: TenantID, store: BillingStore) async throws -> Int {
        let run = try await InvoiceRunService(store: store).start(
            .init(targetDate: CalendarDate(year: 2026, month: 1, day: 31)!), tenant: tenant
        ).run
        guard let id = Int64(run.id) else { return 0 }
        try await InvoiceRunner(store: store).run(id, tenant: tenant)
        return try await InvoiceRunService(store: store).get(.init(id: run.id), tenant: tenant).documents
    }

    /// A new tenant with `accounts` accounts of `data`, their ids from `base` on.
    static func tenant(
        named name: String, base: Int64, accounts: Int, items: Int, database: BenchDatabase, store: BillingStore
    ) async throws -> TenantID {
        let created = try await TenantService(store: store).create(
            .init(
                name: name, defaultCurrency: "EUR", timezone: "Europe/Paris",
                legalEntity: .init(name: "\(name) SAS", country: "FR")))
        guard let tenant = TenantID(created.tenant.id) else { throw BenchTenantMissing() }
        try await database.owner { connection in
            try await connection.execute(Self.data(tenant: tenant, base: base, accounts: accounts, items: items))
        }
        return tenant
    }

    /// Hierarchies of ten accounts (the root invoices the nine others), alternately EUR and USD,
    /// each account with `items` monthly items and one due transaction per item.
    static func data(tenant: TenantID, base: Int64, accounts: Int, items: Int) -> PostgresQuery {
        let t = tenant.rawValue
        return """
            WITH product AS (
                INSERT INTO products (tenant_id, code, name) VALUES (\(t), 'P', 'Product') RETURNING id
            ), service AS (
                INSERT INTO product_services (tenant_id, product_id, code, name, kind, position)
                SELECT \(t), id, 'seat', 'Seat', 'recurring', 1 FROM product RETURNING product_id
            ), process AS (
                INSERT INTO billing_processes (tenant_id, name, kind, frequency)
                VALUES (\(t), 'Monthly', 'recurring', 'monthly') RETURNING id
            ), rates AS (
                INSERT INTO tax_rates (tenant_id, country, tax_category, rate, valid_from)
                VALUES (\(t), 'FR', 'standard', 20, '2020-01-01') RETURNING id
            ), accounts AS (
                INSERT INTO accounts (tenant_id, id, name, currency, parent_id, root_id, subscription_invoicer_id,
                    tax_country)
                OVERRIDING SYSTEM VALUE
                SELECT \(t), \(base) + n, 'Account ' || n, CASE WHEN ((n - 1) / 10) % 2 = 0 THEN 'EUR' ELSE 'USD' END,
                       CASE WHEN (n - 1) % 10 = 0 THEN NULL ELSE \(base) + n - (n - 1) % 10 END,
                       \(base) + n - (n - 1) % 10,
                       CASE WHEN (n - 1) % 10 = 0 THEN NULL ELSE \(base) + n - (n - 1) % 10 END, 'FR'
                FROM generate_series(1, \(accounts)) AS n
                RETURNING id, currency
            ), orders AS (
                INSERT INTO orders (tenant_id, account_id, type, currency, start_date, billing_day, status)
                SELECT \(t), id, 'subscription', currency, '2026-01-01', 1, 'active' FROM accounts
                RETURNING id, account_id, currency
            ), items AS (
                INSERT INTO order_items (tenant_id, order_id, product_id, service_code, quantity, pricing_model,
                    unit_price, price_source, billing_process_id, start_date, billing_day, status)
                SELECT \(t), o.id, s.product_id, 'seat', g, 'per_unit', 9.99, 'explicit', p.id, '2026-01-01', 1, 'active'
                FROM orders o, service s, process p, generate_series(1, \(items)) AS g
                RETURNING id, order_id, quantity, unit_price
            )
            INSERT INTO billing_transactions (tenant_id, order_id, order_item_id, account_id, key, kind, billing_date,
                period_start, period_end, amount, currency)
            SELECT \(t), i.order_id, i.id, o.account_id, 'period:2026-01-01', 'recurring', '2026-01-01', '2026-01-01',
                   '2026-01-31', round(i.quantity * i.unit_price, 2), o.currency
            FROM items i JOIN orders o ON o.id = i.order_id
            """
    }

    /// Seconds to COPY `rows` rows shaped like invoice lines into a plain table.
    private func copyBaseline(rows: Int, database: BenchDatabase) async throws -> Double {
        try await database.owner { connection in
            try await connection.execute("CREATE TABLE bench_invoice_lines (LIKE invoice_lines)")
            let chunk = 50_000
            return try await Figure.time {
                var written = 0
                while written < rows {
                    let count = min(chunk, rows - written)
                    let batch: [[any PostgresEncodable]] = (0..<count).map { offset in
                        let index = written + offset
                        return [
                            1, index / 10, index % 10 + 1, index, "Product – Seat", "2026-01-01", "2026-01-31", "1",
                            "9.99", "9.99", "standard", #"[{"category": "standard", "priority": 0, "rate": "20"}]"#,
                        ]
                    }
                    _ = try await connection.copyFrom(
                        "COPY bench_invoice_lines (tenant_id, invoice_id, line_number, billing_transaction_id, description, "
                            + "period_start, period_end, quantity, unit_price, amount, tax_category, tax_rates) FROM STDIN",
                        rows: batch)
                    written += count
                }
            }
        }
    }
}

/// `tenants.create` answered with an id that is not one.
struct BenchTenantMissing: Error {}
