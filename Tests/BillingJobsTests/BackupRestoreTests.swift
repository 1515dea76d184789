import BillingCore
import BillingServices
import BillingStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Issue 16, backups (docs/operations.md): a database dumped with pg_dump and restored with
/// pg_restore into a new database, as the runbook says, holds every invoice and line unchanged,
/// needs no migration, and keeps tenants apart.
@Suite struct BackupRestoreTests {
    /// One digest over every row of a table, in text order, read by the superuser (no RLS).
    static func digest(_ table: String, in pool: PostgresPool) async throws -> String {
        try await pool.withConnection {
            try await $0.query(
                PostgresQuery(
                    unsafeSQL:
                        "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS d FROM \(table) t"
                ))[0].decode("d")
        }
    }

    @Test func aDumpRestoredIntoANewDatabaseHasEveryInvoiceIntact() async throws {
        let database = try await TestDatabase.shared
        let testbed = try await JobTestbed.make()
        let tenant = try await testbed.makeTenant()
        let other = try await testbed.makeTenant()
        try await testbed.billedAccounts(120, tenant: tenant)
        let started = try await InvoiceRunService(store: testbed.store).start(
            .init(targetDate: CalendarDate("2026-01-31")!, autoPost: true), tenant: tenant)
        try await InvoiceRunner(store: testbed.store).run(Int64(started.run.id)!, tenant: tenant)
        let source = try await testbed.rows("SELECT current_database() AS name")[0].decode("name", as: String.self)
        let tables = ["invoices", "invoice_lines", "billing_transactions", "invoice_runs", "events"]
        var before: [String: String] = [:]
        for table in tables { before[table] = try await Self.digest(table, in: testbed.owner) }
        #expect(before["invoices"]?.hasPrefix("120:") == true)

        let bin = database.cluster.binDirectory
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("ledgerline-\(source).dump")
        defer { try? FileManager.default.removeItem(at: dump) }
        try await Program.run(
            bin.appendingPathComponent("pg_dump").path,
            ["--format=custom", "--file=\(dump.path)", "--dbname=\(database.cluster.superuserURL(database: source))"])
        let restored = try await database.makeEmptyDatabase()
        try await Program.run(
            bin.appendingPathComponent("pg_restore").path,
            ["--exit-on-error", "--dbname=\(database.cluster.superuserURL(database: restored))", dump.path])
        let restoredOwner = database.ownerPool(database: restored)
        try await restoredOwner.withConnection {
            try await $0.execute(PostgresQuery(unsafeSQL: "GRANT CONNECT ON DATABASE \(restored) TO billing_app"))
        }

        for table in tables {
            #expect(try await Self.digest(table, in: restoredOwner) == before[table], "\(table)")
        }
        // Nothing to migrate: the restored schema is this version's.
        let applied = try await restoredOwner.withConnection {
            try await Migrator(migrations: database.migrations).migrate($0)
        }
        #expect(applied.isEmpty)

        // billing_app sees the tenant's invoices as a request does, and none without a tenant or as another.
        let app = BillingStore(
            pool: PostgresPool(
                configuration: .init(
                    url: database.cluster.tcpURL(
                        database: restored, user: "billing_app", password: database.appPassword))))
        let numbered = try await app.inTenant(tenant) {
            try await $0.connection.query(
                "SELECT count(*) AS n FROM invoices WHERE status = 'posted' AND number IS NOT NULL")[0].decode(
                    "n", as: Int64.self)
        }
        #expect(numbered == 120)
        let foreign = try await app.inTenant(other) {
            try await $0.connection.query("SELECT count(*) AS n FROM invoices")[0].decode("n", as: Int64.self)
        }
        #expect(foreign == 0)
        let anonymous = try await app.pool.withConnection {
            try await $0.query("SELECT count(*) AS n FROM invoices")[0].decode("n", as: Int64.self)
        }
        #expect(anonymous == 0)
        await app.pool.close()
        await restoredOwner.close()
        await testbed.close()
    }
}
