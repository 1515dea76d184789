import BillingCore
import BillingServices
import BillingStore
import Foundation
import Postgres
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An invoice run in a worker process killed with SIGKILL mid-run, then resumed by another.
@Suite(.serialized) struct InvoiceRunProcessTests {
    /// `count` accounts, each with one order item and one pending transaction of `count`-dependent
    /// amount due 2026-01-01, written in bulk as the schema owner.
    private func billedAccounts(_ count: Int, tenant: TenantID, in testbed: JobTestbed) async throws {
        let t = tenant.rawValue
        try await testbed.execute(
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

    @Test func aRunKilledMidwayResumesAndBillsEveryTransactionOnce() async throws {
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        let count = 6000
        try await billedAccounts(count, tenant: tenant, in: testbed)
        let expectedCents = try await testbed.number(
            "SELECT (sum(amount) * 100)::integer AS n FROM billing_transactions")
        let started = try await InvoiceRunService(store: testbed.store).start(
            .init(targetDate: CalendarDate("2026-01-31")!), tenant: tenant)
        let runID = try #require(Int64(started.run.id))

        let workers = WorkerProcesses(databaseURL: testbed.appURL, settings: ["LEDGERLINE_JOB_LEASE_SECONDS": "2"])
        let first = try workers.start()[0]
        let midway = try await testbed.eventually(within: .seconds(60)) {
            try await testbed.number("SELECT documents AS n FROM invoice_runs WHERE id = \(runID)") > 0
        }
        #expect(midway)
        workers.signal(first, SIGKILL)
        let partial = try await testbed.number("SELECT documents AS n FROM invoice_runs WHERE id = \(runID)")
        #expect(partial < count, "the run finished before it could be killed")

        try workers.start()
        let completed = try await testbed.eventually(within: .seconds(120)) {
            try await testbed.number(
                "SELECT count(*) AS n FROM invoice_runs WHERE id = \(runID) AND status = 'completed'") == 1
        }
        #expect(completed)
        #expect(try await testbed.number("SELECT documents AS n FROM invoice_runs WHERE id = \(runID)") == count)
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoices") == count)
        #expect(try await testbed.number("SELECT count(*) AS n FROM invoice_lines") == count)
        #expect(
            try await testbed.number("SELECT count(DISTINCT billing_transaction_id) AS n FROM invoice_lines") == count)
        #expect(
            try await testbed.number("SELECT count(*) AS n FROM billing_transactions WHERE status <> 'invoiced'") == 0)
        #expect(try await testbed.number("SELECT (sum(total) * 100)::integer AS n FROM invoices") == expectedCents)
        // Every document is whole: its total is its lines' sum.
        #expect(
            try await testbed.number(
                """
                SELECT count(*) AS n FROM invoices i
                WHERE i.total <> (SELECT sum(amount) FROM invoice_lines l WHERE l.invoice_id = i.id)
                """) == 0)
        #expect(await workers.stopAll() == [0])
        await testbed.close()
    }
}
