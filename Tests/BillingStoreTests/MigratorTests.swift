import BillingStore
import Postgres
import TestSupport
import Testing

@Suite struct MigratorTests {
    @Test func appliesInOrderOnceAndRecordsChecksums() async throws {
        let database = try await TestDatabase.shared
        let name = try await database.makeEmptyDatabase()
        let pool = database.ownerPool(database: name, maxConnections: 1)
        let migrations = [
            Migration(
                version: 1, name: "0001_first",
                sql: "CREATE TABLE first_table (n int); INSERT INTO first_table VALUES (1);"),
            Migration(version: 2, name: "0002_second", sql: "INSERT INTO first_table VALUES (2);"),
        ]
        let applied = try await pool.withConnection { try await Migrator(migrations: migrations).migrate($0) }
        let again = try await pool.withConnection { try await Migrator(migrations: migrations).migrate($0) }
        #expect(applied == ["0001_first", "0002_second"])
        #expect(again.isEmpty)
        let rows = try await pool.withConnection { connection in
            try await connection.query("SELECT name, checksum FROM schema_migrations ORDER BY version")
        }
        #expect(try rows.map { try $0.decode("name", as: String.self) } == ["0001_first", "0002_second"])
        #expect(try rows[0].decode("checksum", as: String.self) == migrations[0].checksum)
        #expect(migrations[0].checksum.count == 64)
        let count = try await pool.withConnection {
            try await $0.query("SELECT count(*) AS n FROM first_table")[0].decode("n", as: Int.self)
        }
        #expect(count == 2)
        await pool.close()
    }

    @Test func refusesAnEditedMigrationAndAppliesNothingAfterIt() async throws {
        let database = try await TestDatabase.shared
        let name = try await database.makeEmptyDatabase()
        let pool = database.ownerPool(database: name, maxConnections: 1)
        let original = Migration(version: 1, name: "0001_first", sql: "CREATE TABLE t (n int);")
        try await pool.withConnection { _ = try await Migrator(migrations: [original]).migrate($0) }

        let edited = Migration(version: 1, name: "0001_first", sql: "CREATE TABLE t (n bigint);")
        let next = Migration(version: 2, name: "0002_next", sql: "CREATE TABLE u (n int);")
        let error = await #expect(throws: MigrationError.self) {
            try await pool.withConnection { try await Migrator(migrations: [edited, next]).migrate($0) }
        }
        #expect(error == .edited(name: "0001_first", applied: original.checksum, onDisk: edited.checksum))
        #expect(error?.description.contains("was edited after it was applied") == true)
        let tables = try await pool.withConnection {
            try await $0.query("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'u'")[0].decode("n", as: Int.self)
        }
        #expect(tables == 0)
        await pool.close()
    }

    @Test func aFailingMigrationLeavesNoTrace() async throws {
        let database = try await TestDatabase.shared
        let name = try await database.makeEmptyDatabase()
        let pool = database.ownerPool(database: name, maxConnections: 1)
        let broken = Migration(
            version: 1, name: "0001_broken", sql: "CREATE TABLE half (n int); SELECT no_such_function();")
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await Migrator(migrations: [broken]).migrate($0) }
        }
        let state = try await pool.withConnection {
            try await $0.query(
                "SELECT (SELECT count(*) FROM pg_tables WHERE tablename = 'half') AS tables, (SELECT count(*) FROM schema_migrations) AS recorded"
            )[0]
        }
        #expect(try state.decode("tables", as: Int.self) == 0)
        #expect(try state.decode("recorded", as: Int.self) == 0)
        await pool.close()
    }

    @Test func theProjectMigrationsAreNumberedAndLoadable() throws {
        let migrations = try TestDatabase.loadMigrations()
        #expect(migrations.first?.name == "0001_platform")
        #expect(migrations.map(\.version) == Array(1...migrations.count))
    }
}
