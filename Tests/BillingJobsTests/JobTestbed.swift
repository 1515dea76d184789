import BillingCore
import BillingStore
import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A migrated database of the test's own (so its workers see only its tenants), with a
/// `fixture_runs` table the fixture jobs record their runs in, and worker processes on it.
final class JobTestbed: Sendable {
    let appURL: String
    let owner: PostgresPool
    let store: BillingStore

    private init(appURL: String, owner: PostgresPool, store: BillingStore) {
        self.appURL = appURL
        self.owner = owner
        self.store = store
    }

    static func make() async throws -> JobTestbed {
        let database = try await TestDatabase.shared
        let (name, appURL) = try await database.makeMigratedDatabase()
        let owner = database.ownerPool(database: name, maxConnections: 2)
        try await owner.withConnection { connection in
            try await connection.execute(
                "CREATE TABLE fixture_runs (job_id bigint NOT NULL, worker_pid integer NOT NULL, ran_at timestamptz NOT NULL DEFAULT now())"
            )
        }
        return JobTestbed(
            appURL: appURL, owner: owner, store: BillingStore(pool: PostgresPool(configuration: .init(url: appURL))))
    }

    func close() async {
        await owner.close()
        await store.pool.close()
    }

    func makeTenant(timezone: String = "Europe/Paris") async throws -> TenantID {
        try await store.asOperator { transaction in
            let tenant = try await TenantRepository(transaction).insert(
                .init(
                    name: "Jobs \(UInt32.random(in: .min ... .max))", defaultCurrency: try Currency(code: "EUR"),
                    timezone: timezone, legalEntityName: "Jobs SAS", legalEntityCountry: try CountryCode("FR"),
                    legalEntityVATNumber: nil))
            return tenant.id
        }
    }

    /// An integer the owner (who sees every tenant) reads, e.g. a count.
    func number(_ query: PostgresQuery) async throws -> Int {
        try await owner.withConnection { try await $0.query(query)[0].decode("n") }
    }

    func rows(_ query: PostgresQuery) async throws -> PostgresRows {
        try await owner.withConnection { try await $0.query(query) }
    }

    func execute(_ query: PostgresQuery) async throws {
        try await owner.withConnection { _ = try await $0.execute(query) }
    }

    /// Several statements at once, as the owner.
    func script(_ sql: String) async throws {
        try await owner.withConnection { try await $0.executeScript(sql) }
    }

    /// Waits until `condition` holds, checking every 100 ms; false if it did not within `timeout`.
    func eventually(within timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }
}

extension JobTestbed {
    /// What a finished run over `count` one-transaction accounts leaves: every transaction on one
    /// line, none pending, each document's total its lines' sum, and the totals `cents` together.
    func expectEachTransactionBilledOnce(
        _ count: Int, totalCents cents: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(try await number("SELECT count(*) AS n FROM invoice_lines") == count, sourceLocation: sourceLocation)
        #expect(
            try await number("SELECT count(DISTINCT billing_transaction_id) AS n FROM invoice_lines") == count,
            sourceLocation: sourceLocation)
        #expect(
            try await number("SELECT count(*) AS n FROM billing_transactions WHERE status <> 'invoiced'") == 0,
            sourceLocation: sourceLocation)
        #expect(
            try await number("SELECT (sum(total) * 100)::integer AS n FROM invoices") == cents,
            sourceLocation: sourceLocation)
        #expect(
            try await number(
                """
                SELECT count(*) AS n FROM invoices i
                WHERE i.total <> (SELECT sum(amount) FROM invoice_lines l WHERE l.invoice_id = i.id)
                """) == 0, sourceLocation: sourceLocation)
    }

    /// `count` accounts, each with one order item and one pending transaction of `count`-dependent
    /// amount due 2026-01-01, written in bulk as the schema owner.
    func billedAccounts(_ count: Int, tenant: TenantID) async throws {
        let t = tenant.rawValue
        try await execute(
            """
            WITH product AS (
                INSERT INTO products (tenant_id, code, name) VALUES (\(t), 'P', 'Product') RETURNING id
            ), service AS (
                INSERT INTO product_services (tenant_id, product_id, code, name, kind, position)
                SELECT \(t), id, 'seat', 'Seat', 'recurring', 1 FROM product RETURNING product_id
            ), process AS (
                INSERT INTO billing_processes (tenant_id, name, kind, frequency) VALUES (\(t), 'Monthly', 'recurring', 'monthly')
                RETURNING id
            ), accounts AS (
                INSERT INTO accounts (tenant_id, id, name, currency, root_id)
                OVERRIDING SYSTEM VALUE
                SELECT \(t), 1000000 + n, 'Account ' || n, 'EUR', 1000000 + n FROM generate_series(1, \(count)) AS n
                RETURNING id
            ), orders AS (
                INSERT INTO orders (tenant_id, account_id, type, currency, start_date, billing_day, status)
                SELECT \(t), id, 'subscription', 'EUR', '2026-01-01', 1, 'active' FROM accounts RETURNING id, account_id
            ), items AS (
                INSERT INTO order_items (tenant_id, order_id, product_id, service_code, quantity, pricing_model, unit_price,
                    price_source, billing_process_id, start_date, billing_day, status)
                SELECT \(t), o.id, s.product_id, 'seat', 1, 'per_unit', (o.account_id - 1000000) % 97 + 1, 'explicit', p.id,
                       '2026-01-01', 1, 'active'
                FROM orders o, service s, process p
                RETURNING id, order_id, unit_price
            )
            INSERT INTO billing_transactions (tenant_id, order_id, order_item_id, account_id, key, kind, billing_date,
                period_start, period_end, amount, currency)
            SELECT \(t), i.order_id, i.id, o.account_id, 'period:2026-01-01', 'recurring', '2026-01-01', '2026-01-01',
                   '2026-01-31', i.unit_price, 'EUR'
            FROM items i JOIN orders o ON o.id = i.order_id
            """)
    }
}

/// Fixture worker processes, as billingd worker runs them; those still running at the end are killed.
final class WorkerProcesses: @unchecked Sendable {
    private(set) var processes: [Process] = []
    private let environment: [String: String]

    init(databaseURL: String, settings: [String: String] = [:]) {
        var environment = ProcessInfo.processInfo.environment
        environment["LEDGERLINE_DATABASE_URL"] = databaseURL
        environment["LEDGERLINE_JOB_POLL_SECONDS"] = "0.2"
        environment["LEDGERLINE_JOB_LEASE_SECONDS"] = "3"
        environment["LEDGERLINE_JOB_RETRY_SECONDS"] = "0.1"
        environment.merge(settings) { $1 }
        self.environment = environment
    }

    deinit {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Starts `count` fixture workers, or with `arguments`, `billingd` itself.
    @discardableResult
    func start(_ count: Int = 1, billingd arguments: [String]? = nil) throws -> [Process] {
        let started = try (0..<count).map { _ in
            let process = Process()
            process.executableURL = try Self.executable(arguments == nil ? "JobFixtureWorker" : "billingd")
            process.arguments = arguments ?? []
            process.environment = environment
            try process.run()
            return process
        }
        processes += started
        return started
    }

    func signal(_ process: Process, _ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// SIGTERM to every running process; their exit statuses once they have stopped.
    func stopAll() async -> [Int32] {
        var statuses: [Int32] = []
        for process in processes where process.isRunning {
            process.terminate()
            while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
            statuses.append(process.terminationStatus)
        }
        return statuses
    }

    /// A binary of this package, built next to the test bundle.
    static func executable(_ name: String) throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent(name) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw FixtureMissing(looked: candidates.map(\.path))
        }
        return found
    }

    struct FixtureMissing: Error {
        let looked: [String]
    }
}
