import BillingCore
import BillingStore
import Postgres
import TestSupport
import Testing

/// Billing documents, their lines, billing transactions and orders are kept for good, and what
/// they reference exists: checked per statement (migrations 0013 and 0014) instead of per row by
/// foreign keys.
@Suite struct DocumentIntegrityTests {
    /// A billing transaction and a draft invoice of a new tenant, written as the tenant.
    private func fixture(_ store: BillingStore, tenant: TenantID) async throws -> (transaction: Int64, invoice: Int64) {
        let account = Int64.random(in: 800_000_000...899_999_999)
        let row = try await store.inTenant(tenant) { transaction in
            try await transaction.connection.query(
                """
                WITH product AS (
                    INSERT INTO products (tenant_id, code, name) VALUES (\(tenant.rawValue), 'P' || \(account), 'Product') RETURNING id
                ), service AS (
                    INSERT INTO product_services (tenant_id, product_id, code, name, kind, position)
                    SELECT \(tenant.rawValue), id, 'seat', 'Seat', 'recurring', 1 FROM product RETURNING product_id
                ), process AS (
                    INSERT INTO billing_processes (tenant_id, name, kind, frequency)
                    VALUES (\(tenant.rawValue), 'Monthly', 'recurring', 'monthly') RETURNING id
                ), account AS (
                    INSERT INTO accounts (tenant_id, id, name, currency, root_id) OVERRIDING SYSTEM VALUE
                    VALUES (\(tenant.rawValue), \(account), 'Buyer', 'EUR', \(account)) RETURNING id
                ), placed AS (
                    INSERT INTO orders (tenant_id, account_id, type, currency, start_date, billing_day)
                    SELECT \(tenant.rawValue), id, 'subscription', 'EUR', '2026-01-01', 1 FROM account RETURNING id, account_id
                ), item AS (
                    INSERT INTO order_items (tenant_id, order_id, product_id, service_code, quantity, pricing_model,
                        unit_price, price_source, billing_process_id, start_date, billing_day)
                    SELECT \(tenant.rawValue), o.id, s.product_id, 'seat', 1, 'per_unit', 10, 'explicit', p.id,
                           '2026-01-01', 1
                    FROM placed o, service s, process p RETURNING id, order_id
                ), billed AS (
                    INSERT INTO billing_transactions (tenant_id, order_id, order_item_id, account_id, key, kind,
                        billing_date, period_start, period_end, amount, currency)
                    SELECT \(tenant.rawValue), i.order_id, i.id, o.account_id, 'period:2026-01-01', 'recurring',
                           '2026-01-01', '2026-01-01', '2026-01-31', 10, 'EUR'
                    FROM item i JOIN placed o ON o.id = i.order_id RETURNING id
                ), invoice AS (
                    INSERT INTO invoices (tenant_id, type, account_id, currency, invoice_date, payment_terms_days,
                        subtotal, tax_total, total)
                    SELECT \(tenant.rawValue), 'invoice', id, 'EUR', '2026-01-31', 30, 10, 0, 10 FROM account RETURNING id
                )
                SELECT billed.id AS transaction_id, invoice.id AS invoice_id FROM billed, invoice
                """
            )[0]
        }
        return (try row.decode("transaction_id"), try row.decode("invoice_id"))
    }

    private func sqlState(_ store: BillingStore, tenant: TenantID, _ statement: String) async -> String? {
        do {
            _ = try await store.inTenant(tenant) {
                try await $0.connection.execute(PostgresQuery(unsafeSQL: statement))
            }
            return nil
        } catch let error as PostgresError {
            return error.sqlState
        } catch {
            return "\(error)"
        }
    }

    @Test func linesAndBilledTransactionsMustReferenceWhatExists() async throws {
        let database = try await TestDatabase.shared
        let app = database.appPool()
        let store = BillingStore(pool: app)
        let tenant = try await TenantFixtures.makeTenant(store, name: "Document integrity")
        let other = try await TenantFixtures.makeTenant(store, name: "Document integrity, other")
        let (billed, invoice) = try await fixture(store, tenant: tenant)
        let (foreignBilled, foreignInvoice) = try await fixture(store, tenant: other)
        func line(invoice: Int64, transaction: Int64?, number: Int) -> String {
            """
            INSERT INTO invoice_lines (tenant_id, invoice_id, line_number, billing_transaction_id, description,
                quantity, amount, tax_category)
            VALUES (\(tenant.rawValue), \(invoice), \(number), \(transaction.map(String.init) ?? "NULL"), 'Seat', 1, 10,
                    'standard')
            """
        }
        // Another tenant's invoice or transaction does not exist for this one.
        for statement in [
            line(invoice: invoice + 1_000_000, transaction: billed, number: 1),
            line(invoice: foreignInvoice, transaction: billed, number: 1),
            line(invoice: invoice, transaction: billed + 1_000_000, number: 1),
            line(invoice: invoice, transaction: foreignBilled, number: 1),
            "UPDATE billing_transactions SET status = 'invoiced', invoice_id = \(foreignInvoice) WHERE id = \(billed)",
        ] {
            #expect(await sqlState(store, tenant: tenant, statement) == SQLState.foreignKeyViolation, "\(statement)")
        }
        #expect(await sqlState(store, tenant: tenant, line(invoice: invoice, transaction: billed, number: 1)) == nil)
        #expect(await sqlState(store, tenant: tenant, line(invoice: invoice, transaction: nil, number: 2)) == nil)
        #expect(
            await sqlState(
                store, tenant: tenant,
                "UPDATE billing_transactions SET status = 'invoiced', invoice_id = \(invoice) WHERE id = \(billed)")
                == nil)

        // The server's role can neither delete these rows nor change a line.
        for statement in [
            "DELETE FROM invoices", "TRUNCATE invoices", "DELETE FROM invoice_lines", "TRUNCATE invoice_lines",
            "UPDATE invoice_lines SET amount = 0", "DELETE FROM billing_transactions", "TRUNCATE billing_transactions",
        ] {
            #expect(await sqlState(store, tenant: tenant, statement) == SQLState.insufficientPrivilege, "\(statement)")
        }
        // Nor can the schema's owner: the tables refuse it themselves (restrict_violation, 23001).
        let owner = database.ownerPool(maxConnections: 1)
        for statement in [
            "DELETE FROM invoices WHERE id = \(invoice)",
            "UPDATE invoice_lines SET amount = 0 WHERE invoice_id = \(invoice)",
            "DELETE FROM billing_transactions WHERE id = \(billed)", "TRUNCATE invoice_lines",
            // Nor give an invoice or a billed transaction another key.
            "UPDATE invoices SET id = DEFAULT WHERE id = \(invoice)",
            "UPDATE invoices SET tenant_id = tenant_id + 1000000 WHERE id = \(invoice)",
            "UPDATE billing_transactions SET id = DEFAULT WHERE id = \(billed)",
        ] {
            let refused = await #expect(throws: PostgresError.self) {
                try await owner.withConnection { try await $0.execute(PostgresQuery(unsafeSQL: statement)) }
            }
            #expect(refused?.sqlState == "23001", "\(statement)")
        }
        await owner.close()
        await app.close()
    }

    @Test func billingTransactionsMatchTheirItemOrderAccountAndCurrency() async throws {
        let database = try await TestDatabase.shared
        let app = database.appPool()
        let store = BillingStore(pool: app)
        let tenant = try await TenantFixtures.makeTenant(store, name: "Transaction references")
        let (first, _) = try await fixture(store, tenant: tenant)
        let (second, _) = try await fixture(store, tenant: tenant)
        let rows = try await store.inTenant(tenant) { transaction in
            try await transaction.connection.query(
                """
                SELECT id, order_id, order_item_id, account_id FROM billing_transactions
                WHERE id = ANY(\([first, second])::bigint[]) ORDER BY id
                """)
        }
        let orders: [Int64] = try rows.map { try $0.decode("order_id") }
        let items: [Int64] = try rows.map { try $0.decode("order_item_id") }
        let accounts: [Int64] = try rows.map { try $0.decode("account_id") }
        func transaction(order: Int64, item: Int64, account: Int64, currency: String = "EUR", key: String) -> String {
            """
            INSERT INTO billing_transactions (tenant_id, order_id, order_item_id, account_id, key, kind, billing_date,
                amount, currency)
            VALUES (\(tenant.rawValue), \(order), \(item), \(account), '\(key)', 'one_time', '2026-02-01', 5, '\(currency)')
            """
        }
        for statement in [
            transaction(order: orders[0], item: items[1], account: accounts[0], key: "item of another order"),
            transaction(order: orders[0], item: items[0], account: accounts[1], key: "another account"),
            transaction(
                order: orders[0], item: items[0], account: accounts[0], currency: "USD", key: "another currency"),
            transaction(order: orders[0], item: items[0] + 1_000_000, account: accounts[0], key: "no such item"),
        ] {
            #expect(await sqlState(store, tenant: tenant, statement) == SQLState.foreignKeyViolation, "\(statement)")
        }
        #expect(
            await sqlState(
                store, tenant: tenant, transaction(order: orders[0], item: items[0], account: accounts[0], key: "x"))
                == nil)
        // What was checked cannot change afterwards.
        for statement in [
            "UPDATE orders SET account_id = \(accounts[1]) WHERE id = \(orders[0])",
            "UPDATE orders SET currency = 'USD' WHERE id = \(orders[0])",
            "UPDATE order_items SET order_id = \(orders[1]) WHERE id = \(items[0])",
            "UPDATE billing_transactions SET order_item_id = \(items[1]), order_id = \(orders[1]) WHERE id = \(first)",
            "UPDATE orders SET id = DEFAULT WHERE id = \(orders[0])",
            "UPDATE order_items SET id = DEFAULT WHERE id = \(items[0])",
            "UPDATE billing_transactions SET id = DEFAULT WHERE id = \(first)",
        ] {
            #expect(await sqlState(store, tenant: tenant, statement) == "23001", "\(statement)")
        }
        for statement in ["DELETE FROM orders", "TRUNCATE order_items"] {
            #expect(await sqlState(store, tenant: tenant, statement) == SQLState.insufficientPrivilege, "\(statement)")
        }
        await app.close()
    }
}
