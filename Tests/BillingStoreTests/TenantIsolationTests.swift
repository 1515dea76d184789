import BillingCore
import BillingStore
import Postgres
import TestSupport
import Testing

/// The guarantees of DESIGN.md "Multi-tenancy", read from the live catalog and exercised as the
/// server's own role.
@Suite struct TenantIsolationTests {
    @Test func everyTenantTableHasForcedRLSAndTenantLeadingKeys() async throws {
        let pool = try await TestDatabase.shared.ownerPool()
        let tables = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT c.oid::regclass::text AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid
                          AND (pg_get_expr(p.polqual, p.polrelid) IS DISTINCT FROM '(tenant_id = current_tenant_id())'
                               OR pg_get_expr(p.polwithcheck, p.polrelid) IS DISTINCT FROM '(tenant_id = current_tenant_id())')
                          AND NOT (c.relname IN ('jobs', 'job_schedules') AND p.polname = 'worker_access'
                                   AND pg_get_expr(p.polqual, p.polrelid) = 'is_worker_session()'
                                   AND pg_get_expr(p.polwithcheck, p.polrelid) = 'is_worker_session()')
                       ) AS loose_policies
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                ORDER BY 1
                """
            )
        }
        #expect(tables.count >= 3)
        for table in tables {
            let name: String = try table.decode("name")
            #expect(try table.decode("enabled", as: Bool.self), "\(name): row-level security is not enabled")
            #expect(try table.decode("forced", as: Bool.self), "\(name): row-level security is not forced")
            #expect(try table.decode("policies", as: Int.self) >= 1, "\(name): no policy")
            #expect(
                try table.decode("loose_policies", as: Int.self) == 0,
                "\(name): a policy is not tenant_id = current_tenant_id() (nor the job workers' own)")
        }

        let badKeys = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT c.oid::regclass::text AS table_name, k.conname AS key_name, k.contype AS kind
                FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid
                JOIN pg_attribute t ON t.attrelid = c.oid AND t.attname = 'tenant_id'
                WHERE k.contype IN ('p', 'u', 'f')
                  AND CASE WHEN k.contype = 'f'
                      -- a key into another tenant table carries tenant_id; shared reference data
                      -- (currencies) has none and is referenced by its own key
                      THEN NOT (t.attnum = ANY (k.conkey))
                           AND EXISTS (SELECT 1 FROM pg_attribute r
                                       WHERE r.attrelid = k.confrelid AND r.attname = 'tenant_id')
                      ELSE k.conkey[1] <> t.attnum END
                UNION ALL
                SELECT c.oid::regclass::text, i.indexrelid::regclass::text, 'i'
                FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid
                JOIN pg_attribute t ON t.attrelid = c.oid AND t.attname = 'tenant_id'
                WHERE i.indisunique AND i.indkey[0] <> t.attnum
                """
            )
        }
        let offenders = try badKeys.map {
            "\(try $0.decode("table_name", as: String.self)).\(try $0.decode("key_name", as: String.self))"
        }
        #expect(offenders.isEmpty, "keys without tenant_id first: \(offenders)")
        await pool.close()
    }

    @Test func billingAppSeesNothingWithoutATenantAndOnlyItsOwnWithOne() async throws {
        let database = try await TestDatabase.shared
        let app = database.appPool()
        let store = BillingStore(pool: app)
        let tenantA = try await TenantFixtures.makeTenant(store, name: "Isolation A")
        let tenantB = try await TenantFixtures.makeTenant(store, name: "Isolation B")

        let tenantTables = try await PostgresPool.using(.init(url: database.ownerURL())) { owner in
            try await owner.withConnection { connection in
                try await connection.query(
                    """
                    SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                    WHERE a.attname = 'tenant_id' AND c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
                    """
                ).map { try $0.decode("name", as: String.self) }
            }
        }
        #expect(Set(tenantTables).isSuperset(of: ["api_keys", "events", "event_sequences"]))
        for table in tenantTables {
            let unscoped = try await app.withConnection {
                try await $0.query(PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0].decode(
                    "n", as: Int.self)
            }
            #expect(unscoped == 0, "\(table) leaks rows without a tenant")

            let seenByA = try await store.inTenant(tenantA) { transaction in
                try await transaction.connection.query(
                    PostgresQuery(unsafeSQL: "SELECT DISTINCT tenant_id FROM \(table)")
                )
                .map { try $0.decode("tenant_id", as: Int64.self) }
            }
            #expect(seenByA.allSatisfy { $0 == tenantA.rawValue }, "\(table) shows tenant A other rows: \(seenByA)")
            if ["api_keys", "events", "event_sequences"].contains(table) {
                #expect(seenByA == [tenantA.rawValue], "\(table) hides tenant A's own rows")
            }
        }

        let tenantsSeenByB = try await store.inTenant(tenantB) { transaction in
            try await transaction.connection.query("SELECT id FROM tenants").map { try $0.decode("id", as: Int64.self) }
        }
        #expect(tenantsSeenByB == [tenantB.rawValue])
        await app.close()
    }

    @Test func aWorkerSessionSeesJobsOfEveryTenantAndNothingElseOfTheirs() async throws {
        let database = try await TestDatabase.shared
        let app = database.appPool()
        let store = BillingStore(pool: app)
        var jobIDs: [Int64] = []
        for name in ["Worker view A", "Worker view B"] {
            let tenant = try await TenantFixtures.makeTenant(store, name: name)
            jobIDs.append(
                try await store.inTenant(tenant) { transaction in
                    try await JobRepository(transaction).enqueue(
                        NewJob(kind: "isolation.check", runAt: "2999-01-01T00:00:00Z"))
                }.id)
        }
        let (jobsSeen, otherRows) = try await store.asWorker { transaction in
            let jobs = try await transaction.connection.query(
                "SELECT id FROM jobs WHERE id = ANY(\(jobIDs)::bigint[])"
            ).map { try $0.decode("id", as: Int64.self) }
            let others = try await transaction.connection.query(
                "SELECT (SELECT count(*) FROM api_keys) + (SELECT count(*) FROM events) AS n")[0].decode(
                    "n", as: Int.self)
            return (jobs, others)
        }
        #expect(Set(jobsSeen) == Set(jobIDs))
        #expect(otherRows == 0)
        await app.close()
    }

    @Test func aTenantCannotWriteRowsForAnother() async throws {
        let database = try await TestDatabase.shared
        let app = database.appPool()
        let store = BillingStore(pool: app)
        let tenantA = try await TenantFixtures.makeTenant(store, name: "Writer A")
        let tenantB = try await TenantFixtures.makeTenant(store, name: "Writer B")
        let error = await #expect(throws: PostgresError.self) {
            try await store.inTenant(tenantA) { transaction in
                try await transaction.connection.execute(
                    "INSERT INTO events (tenant_id, seq, type, entity, entity_id, data) VALUES (\(tenantB.rawValue), 999, 'x', 'x', 'x', '{}')"
                )
            }
        }
        #expect(error?.sqlState == SQLState.insufficientPrivilege)
        await app.close()
    }

    @Test func theServerRefusesToServeAsASuperuser() async throws {
        let database = try await TestDatabase.shared
        let owner = database.ownerPool()
        await #expect(throws: UnsafeServingRole.self) { try await BillingStore(pool: owner).verifyServingRole() }
        await owner.close()
        let app = database.appPool()
        try await BillingStore(pool: app).verifyServingRole()
        await app.close()
    }
}
