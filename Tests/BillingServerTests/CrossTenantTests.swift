import BillingClient
import BillingCore
import BillingProtocol
import BillingServer
import BillingServices
import BillingStore
import Foundation
import Postgres
import TestSupport
import Testing

/// Issue 15, isolation over the wire: one tenant calls every method with another tenant's ids and
/// external ids and gets `not_found` every time, never the other's data, and leaves the other
/// tenant's rows exactly as they were.
@Suite struct CrossTenantTests {
    /// The ids one tenant owns, by what they are; ALPHA's names all carry the word ALPHA.
    struct Owned {
        var ids: [String: String] = [:]
        subscript(_ key: String) -> String { ids[key] ?? "missing-\(key)" }
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func call(_ client: BillingClient, _ method: String, _ params: String) async throws -> JSONValue {
        try await client.call(method: method, params: try json(params))
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    static func first(_ value: JSONValue?, _ key: String = "items") -> JSONValue? {
        if case .array(let items) = value?[key] { return items.first }
        return nil
    }

    /// Builds ALPHA's world: accounts, a contact, the catalog, an activated order billed twice (one
    /// invoice paid in part, one voided into a credit note), a draft order, an opportunity with a
    /// quote, a tax rate, a scheduler, a job and an event subscription.
    static func alpha(_ server: RunningServer) async throws -> (BillingClient, TenantsCreate.Result, Owned) {
        let (client, tenant) = try await server.tenantClient(name: "ALPHA Corp")
        var alpha = Owned()
        func id(_ key: String, _ method: String, _ params: String) async throws {
            alpha.ids[key] = string(try await call(client, method, params)["id"])
        }
        try await id(
            "account", "accounts.create",
            #"{"name":"ALPHA Root","currency":"EUR","external_id":"alpha-account","billing_day":1,"payment_terms_days":30}"#
        )
        try await id(
            "child", "accounts.create",
            #"{"name":"ALPHA Child","currency":"EUR","external_id":"alpha-child","parent_id":"\#(alpha["account"])"}"#)
        try await id(
            "contact", "contacts.create",
            #"{"name":"ALPHA Contact","external_id":"alpha-contact","accounts":[{"account_id":"\#(alpha["account"])","roles":["billing"]}]}"#
        )
        try await id(
            "product", "products.create",
            #"{"code":"ALPHA","name":"ALPHA Product","external_id":"alpha-product","services":[{"code":"seat","name":"ALPHA Seat","kind":"recurring"},{"code":"setup","name":"ALPHA Setup","kind":"one_time"}]}"#
        )
        try await id(
            "book", "price_books.create",
            #"{"name":"ALPHA Book","currency":"EUR","external_id":"alpha-book","is_default":true}"#)
        _ = try await call(
            client, "price_books.set_prices",
            #"{"price_book_id":"\#(alpha["book"])","prices":[{"product_id":"\#(alpha["product"])","service_code":"seat","unit_price":"50","effective_from":"2020-01-01"}]}"#
        )
        try await id(
            "process", "billing_processes.create",
            #"{"name":"ALPHA Monthly","kind":"recurring","frequency":"monthly","external_id":"alpha-process"}"#)
        try await id("once", "billing_processes.create", #"{"name":"ALPHA Once","kind":"one_time"}"#)
        try await id(
            "kickoff", "billing_processes.create",
            #"{"name":"ALPHA on kickoff","kind":"installments","plan":[{"percent":"100","milestone":"kickoff"}]}"#)
        _ = try await call(
            client, "price_plans.set",
            #"{"account_id":"\#(alpha["account"])","prices":[{"product_id":"\#(alpha["product"])","service_code":"seat","unit_price":"45","effective_from":"2020-01-01"}]}"#
        )
        try await id(
            "rate", "tax_rates.create",
            #"{"country":"FR","tax_category":"standard","rate":"20","valid_from":"2020-01-01"}"#
        )
        let order = try await call(
            client, "orders.create",
            #"{"account_id":"\#(alpha["account"])","type":"subscription","start_date":"2026-01-01","end_date":"2026-12-31","external_id":"alpha-order","items":[{"product_id":"\#(alpha["product"])","service_code":"seat","quantity":"2","unit_price":"50","billing_process_id":"\#(alpha["process"])"},{"product_id":"\#(alpha["product"])","service_code":"setup","quantity":"1","unit_price":"10","billing_process_id":"\#(alpha["kickoff"])"}]}"#
        )
        alpha.ids["order"] = string(order["id"])
        if case .array(let items) = order["items"] {
            alpha.ids["item"] = string(items.first?["id"])
            alpha.ids["milestone_item"] = string(items.last?["id"])
        }
        _ = try await call(
            client, "orders.activate", #"{"id":"\#(alpha["order"])","activation_date":"2026-01-01"}"#)
        let draft = try await call(
            client, "orders.create",
            #"{"account_id":"\#(alpha["account"])","type":"investment","start_date":"2026-03-01","items":[{"product_id":"\#(alpha["product"])","service_code":"setup","quantity":"1","unit_price":"5","billing_process_id":"\#(alpha["once"])"}]}"#
        )
        alpha.ids["draft"] = string(draft["id"])
        let tenantID = try #require(TenantID(tenant.tenant.id))
        for month in ["2026-01-31", "2026-02-28"] {
            let started = try await call(
                client, "invoice_runs.start",
                #"{"target_date":"\#(month)","invoice_date":"\#(month)","auto_post":true}"#)
            let run = try #require(string(started["run"]?["id"]))
            alpha.ids["run"] = run
            let store = BillingStore(pool: try await TestDatabase.shared.appPool())
            try await InvoiceRunner(store: store).run(try #require(Int64(run)), tenant: tenantID)
            await store.pool.close()
            alpha.ids[month] = string(first(try await call(client, "invoices.list", #"{"run_id":"\#(run)"}"#))?["id"])
        }
        alpha.ids["invoice"] = alpha["2026-01-31"]
        let voided = try await call(client, "invoices.void", #"{"id":"\#(alpha["2026-02-28"])"}"#)
        alpha.ids["credit_note"] = string(voided["credit_note"]?["id"])
        try await id(
            "payment", "payments.record",
            #"{"account_id":"\#(alpha["account"])","amount":"30","currency":"EUR","method":"bank_transfer","reference":"ALPHA-PAY","received_on":"2026-02-10"}"#
        )
        _ = try await call(
            client, "payments.allocate",
            #"{"payment_id":"\#(alpha["payment"])","allocations":[{"invoice_id":"\#(alpha["invoice"])","amount":"10"}]}"#
        )
        let opportunity = try await call(
            client, "opportunities.create",
            #"{"account_id":"\#(alpha["account"])","name":"ALPHA Deal","close_date":"2026-06-01","external_id":"alpha-deal","items":[{"product_id":"\#(alpha["product"])","service_code":"seat","quantity":"3","billing_process_id":"\#(alpha["process"])"}]}"#
        )
        alpha.ids["opportunity"] = string(opportunity["id"])
        alpha.ids["opportunity_item"] = string(first(opportunity)?["id"])
        try await id("quote", "quotes.create", #"{"opportunity_id":"\#(alpha["opportunity"])"}"#)
        try await id(
            "scheduler", "invoice_schedulers.create", #"{"name":"ALPHA nightly","cadence":"daily","time":"06:00"}"#)
        alpha.ids["job"] = string(first(try await call(client, "jobs.list", "{}"))?["id"])
        alpha.ids["subscription"] = string(
            try await call(client, "events.subscribe", #"{"consumer":"alpha-ledger"}"#)["subscription_id"])
        alpha.ids["api_key"] = tenant.apiKey
        return (client, tenant, alpha)
    }

    /// Every call BETA makes with ALPHA's ids, each of which must fail with not_found.
    static func foreignCalls(_ alpha: Owned, beta: Owned) -> [(method: String, params: String)] {
        let account = alpha["account"]
        let seat =
            #"{"product_id":"\#(alpha["product"])","service_code":"seat","quantity":"1","billing_process_id":"\#(beta["process"])"}"#
        return [
            ("accounts.get", #"{"id":"\#(account)"}"#),
            ("accounts.get", #"{"external_id":"alpha-account"}"#),
            ("accounts.update", #"{"id":"\#(account)","name":"BETA was here"}"#),
            ("accounts.hierarchy", #"{"id":"\#(account)"}"#),
            ("accounts.set_parent", #"{"id":"\#(alpha["child"])","parent_id":null}"#),
            ("accounts.set_parent", #"{"id":"\#(beta["account"])","parent_id":"\#(account)"}"#),
            ("accounts.close", #"{"id":"\#(alpha["child"])"}"#),
            ("accounts.create", #"{"name":"BETA Sub","currency":"EUR","parent_id":"\#(account)"}"#),
            ("accounts.create", #"{"name":"BETA Sub","currency":"EUR","tax_account_id":"\#(account)"}"#),
            ("accounts.update", #"{"id":"\#(beta["account"])","subscription_invoicer_id":"\#(account)"}"#),
            ("accounts.list", #"{"parent_id":"\#(account)"}"#),
            ("accounts.statement", #"{"id":"\#(account)","from":"2026-01-01"}"#),
            ("contacts.get", #"{"id":"\#(alpha["contact"])"}"#),
            ("contacts.get", #"{"external_id":"alpha-contact"}"#),
            ("contacts.update", #"{"id":"\#(alpha["contact"])","name":"BETA was here"}"#),
            ("contacts.list", #"{"account_id":"\#(account)"}"#),
            ("contacts.link", #"{"id":"\#(alpha["contact"])","account_id":"\#(beta["account"])"}"#),
            ("contacts.link", #"{"id":"\#(beta["contact"])","account_id":"\#(account)"}"#),
            ("contacts.unlink", #"{"id":"\#(alpha["contact"])","account_id":"\#(account)"}"#),
            ("contacts.create", #"{"name":"BETA Other","accounts":[{"account_id":"\#(account)"}]}"#),
            ("products.get", #"{"id":"\#(alpha["product"])"}"#),
            ("products.get", #"{"external_id":"alpha-product"}"#),
            ("products.update", #"{"id":"\#(alpha["product"])","name":"BETA was here"}"#),
            ("price_books.get", #"{"id":"\#(alpha["book"])"}"#),
            ("price_books.get", #"{"external_id":"alpha-book"}"#),
            ("price_books.update", #"{"id":"\#(alpha["book"])","name":"BETA was here"}"#),
            ("price_books.list_prices", #"{"price_book_id":"\#(alpha["book"])"}"#),
            (
                "price_books.set_prices",
                #"{"price_book_id":"\#(alpha["book"])","prices":[{"product_id":"\#(beta["product"])","service_code":"seat","unit_price":"1","effective_from":"2020-01-01"}]}"#
            ),
            (
                "price_books.set_prices",
                #"{"price_book_id":"\#(beta["book"])","prices":[{"product_id":"\#(alpha["product"])","service_code":"seat","unit_price":"1","effective_from":"2020-01-01"}]}"#
            ),
            (
                "price_plans.set",
                #"{"account_id":"\#(account)","prices":[{"product_id":"\#(beta["product"])","service_code":"seat","unit_price":"1","effective_from":"2020-01-01"}]}"#
            ),
            ("price_plans.get", #"{"account_id":"\#(account)"}"#),
            ("price_plans.list", #"{"account_id":"\#(account)"}"#),
            (
                "prices.lookup",
                #"{"account_id":"\#(account)","product_id":"\#(beta["product"])","service_code":"seat"}"#
            ),
            (
                "prices.lookup",
                #"{"account_id":"\#(beta["account"])","product_id":"\#(alpha["product"])","service_code":"seat"}"#
            ),
            ("jobs.get", #"{"id":"\#(alpha["job"])"}"#),
            ("jobs.retry", #"{"id":"\#(alpha["job"])"}"#),
            ("billing_processes.get", #"{"id":"\#(alpha["process"])"}"#),
            ("billing_processes.get", #"{"external_id":"alpha-process"}"#),
            ("orders.get", #"{"id":"\#(alpha["order"])"}"#),
            ("orders.get", #"{"external_id":"alpha-order"}"#),
            ("orders.list", #"{"account_id":"\#(account)"}"#),
            (
                "orders.create",
                #"{"account_id":"\#(account)","type":"investment","start_date":"2026-01-01","items":[\#(seat.replacingOccurrences(of: alpha["product"], with: beta["product"]))]}"#
            ),
            (
                "orders.create",
                #"{"account_id":"\#(beta["account"])","type":"investment","start_date":"2026-01-01","items":[\#(seat)]}"#
            ),
            ("orders.add_items", #"{"id":"\#(alpha["draft"])","items":[\#(seat)]}"#),
            ("orders.activate", #"{"id":"\#(alpha["draft"])","activation_date":"2026-03-01"}"#),
            ("orders.activate_many", #"{"ids":["\#(alpha["draft"])"],"activation_date":"2026-03-01"}"#),
            (
                "orders.terminate_items",
                #"{"id":"\#(alpha["order"])","item_ids":["\#(alpha["item"])"],"end_date":"2026-06-30"}"#
            ),
            ("orders.reach_milestone", #"{"item_id":"\#(alpha["milestone_item"])","milestone":"kickoff"}"#),
            ("orders.cancel", #"{"id":"\#(alpha["draft"])"}"#),
            ("billing_transactions.list", #"{"account_id":"\#(account)"}"#),
            ("billing_transactions.list", #"{"order_id":"\#(alpha["order"])"}"#),
            ("tax_rates.update", #"{"id":"\#(alpha["rate"])","valid_to":"2030-01-01"}"#),
            ("invoice_runs.get", #"{"id":"\#(alpha["run"])"}"#),
            ("invoice_runs.start", #"{"target_date":"2026-03-31","account_ids":["\#(account)"]}"#),
            ("invoice_runs.preview", #"{"target_date":"2026-03-31","account_ids":["\#(account)"]}"#),
            ("invoices.get", #"{"id":"\#(alpha["invoice"])"}"#),
            ("invoices.list", #"{"account_id":"\#(account)"}"#),
            ("invoices.list", #"{"run_id":"\#(alpha["run"])"}"#),
            ("invoices.post", #"{"id":"\#(alpha["invoice"])"}"#),
            ("invoices.void", #"{"id":"\#(alpha["invoice"])"}"#),
            ("invoices.pdf", #"{"id":"\#(alpha["invoice"])"}"#),
            ("invoice_schedulers.update", #"{"id":"\#(alpha["scheduler"])","enabled":false}"#),
            ("invoice_schedulers.delete", #"{"id":"\#(alpha["scheduler"])"}"#),
            ("opportunities.get", #"{"id":"\#(alpha["opportunity"])"}"#),
            ("opportunities.get", #"{"external_id":"alpha-deal"}"#),
            ("opportunities.update", #"{"id":"\#(alpha["opportunity"])","name":"BETA was here"}"#),
            ("opportunities.set_stage", #"{"id":"\#(alpha["opportunity"])","stage":"closed_won"}"#),
            (
                "opportunities.set_schedule",
                #"{"item_id":"\#(alpha["opportunity_item"])","type":"quantity","quantity_schedule":{"mode":"divide","period":"monthly","installments":3,"start_date":"2026-06-01"}}"#
            ),
            ("opportunities.list", #"{"account_id":"\#(account)"}"#),
            (
                "opportunities.create",
                #"{"account_id":"\#(account)","name":"BETA Deal","close_date":"2026-06-01"}"#
            ),
            ("quotes.create", #"{"opportunity_id":"\#(alpha["opportunity"])"}"#),
            ("quotes.get", #"{"id":"\#(alpha["quote"])"}"#),
            ("quotes.list", #"{"opportunity_id":"\#(alpha["opportunity"])"}"#),
            ("quotes.send", #"{"id":"\#(alpha["quote"])"}"#),
            ("quotes.accept", #"{"id":"\#(alpha["quote"])"}"#),
            ("quotes.reject", #"{"id":"\#(alpha["quote"])"}"#),
            ("quotes.pdf", #"{"id":"\#(alpha["quote"])"}"#),
            (
                "usage.record",
                #"{"events":[{"event_id":"beta-1","account_id":"\#(account)","metric":"calls","quantity":"1","at":"2026-01-05T10:00:00Z"}]}"#
            ),
            ("usage.summary", #"{"account_id":"\#(account)","from":"2026-01-01","to":"2026-01-31"}"#),
            (
                "payments.record",
                #"{"account_id":"\#(account)","amount":"1","currency":"EUR","method":"bank_transfer","received_on":"2026-02-10"}"#
            ),
            ("payments.get", #"{"id":"\#(alpha["payment"])"}"#),
            ("payments.list", #"{"account_id":"\#(account)"}"#),
            (
                "payments.allocate",
                #"{"payment_id":"\#(alpha["payment"])","allocations":[{"invoice_id":"\#(alpha["invoice"])","amount":"1"}]}"#
            ),
            (
                "payments.allocate",
                #"{"payment_id":"\#(beta["payment"])","allocations":[{"invoice_id":"\#(alpha["invoice"])","amount":"1"}]}"#
            ),
            ("payments.unallocate", #"{"payment_id":"\#(alpha["payment"])","invoice_id":"\#(alpha["invoice"])"}"#),
            ("payments.refund", #"{"payment_id":"\#(alpha["payment"])","amount":"1"}"#),
            (
                "credit_notes.allocate",
                #"{"credit_note_id":"\#(alpha["credit_note"])","allocations":[{"invoice_id":"\#(alpha["invoice"])","amount":"1"}]}"#
            ),
            ("receivables.aging", #"{"account_id":"\#(account)"}"#),
            ("events.ack", #"{"subscription_id":"\#(alpha["subscription"])","cursor":"1"}"#),
        ]
    }

    /// BETA's own calls that touch no id of ALPHA's: they must answer with BETA's data only.
    static func ownCalls(beta: Owned) -> [(method: String, params: String)] {
        [
            ("ping", "{}"),
            ("health", "{}"),
            ("accounts.list", "{}"),
            ("accounts.upsert", #"{"external_id":"alpha-account","name":"BETA Upserted","currency":"EUR"}"#),
            ("contacts.list", "{}"),
            ("contacts.upsert", #"{"external_id":"alpha-contact","name":"BETA Contact 2"}"#),
            ("products.list", "{}"),
            (
                "products.upsert",
                #"{"external_id":"alpha-product","code":"BETA2","name":"BETA Product 2","services":[{"code":"seat","name":"Seat","kind":"recurring"}]}"#
            ),
            ("price_books.list", "{}"),
            ("price_plans.list", "{}"),
            ("billing_processes.list", "{}"),
            ("orders.list", "{}"),
            ("billing_transactions.list", "{}"),
            ("tax_rates.list", "{}"),
            ("tax_rates.create", #"{"country":"DE","tax_category":"standard","rate":"19","valid_from":"2020-01-01"}"#),
            ("invoice_schedulers.create", #"{"name":"BETA nightly","cadence":"daily","time":"07:00"}"#),
            ("invoice_runs.list", "{}"),
            ("invoices.list", "{}"),
            ("invoice_schedulers.list", "{}"),
            ("opportunities.list", "{}"),
            (
                "opportunities.upsert",
                #"{"external_id":"alpha-deal","account_id":"\#(beta["account"])","name":"BETA Deal 2","close_date":"2026-06-01"}"#
            ),
            ("quotes.list", "{}"),
            ("payments.list", "{}"),
            ("jobs.list", "{}"),
            ("events.list", "{}"),
            ("sales_settings.get", "{}"),
            ("sales_settings.update", #"{"renewal_lead_days":45}"#),
            ("renewals.scan", "{}"),
            ("receivables.aging", "{}"),
        ]
            + [
                "account_tree", "active_recurring_items", "ar_aging", "arr", "billing_forecast", "invoice_register",
                "items_to_invoice", "mrr", "renewals_due", "tax_summary", "usage_by_metric",
            ].map { ("reports.run", #"{"name":"\#($0)"}"#) }
    }

    /// A digest of every row the tenant owns, table by table, read as the owner (past RLS).
    static func digest(of tenantID: String) async throws -> [String: String] {
        let pool = try await TestDatabase.shared.ownerPool()
        do {
            let digests = try await digest(of: tenantID, on: pool)
            await pool.close()
            return digests
        } catch {
            await pool.close()
            throw error
        }
    }

    static func digest(of tenantID: String, on pool: PostgresPool) async throws -> [String: String] {
        try await pool.withConnection { connection in
            let tables = try await connection.query(
                """
                SELECT c.oid::regclass::text AS name FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND EXISTS (SELECT 1 FROM pg_attribute a
                              WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                ORDER BY 1
                """
            ).map { try $0.decode("name", as: String.self) }
            var digests: [String: String] = [:]
            for table in tables {
                let row = try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')
                                   AS digest
                            FROM \(table) t WHERE tenant_id = $1::bigint
                            """, binds: [tenantID]))
                digests[table] = try row[0].decode("digest", as: String.self)
            }
            return digests
        }
    }

    @Test func everyMethodWithAnotherTenantsIdsIsNotFoundAndChangesNothing() async throws {
        let server = try await RunningServer.start()
        let (alphaClient, alphaTenant, alpha) = try await Self.alpha(server)
        for (key, value) in alpha.ids where value.isEmpty {
            Issue.record("ALPHA has no \(key)")
        }
        let (beta, _) = try await server.tenantClient(name: "BETA Ltd")
        var own = Owned()
        own.ids["account"] = Self.string(
            try await Self.call(beta, "accounts.create", #"{"name":"BETA Customer","currency":"EUR"}"#)["id"])
        own.ids["contact"] = Self.string(
            try await Self.call(beta, "contacts.create", #"{"name":"BETA Contact"}"#)["id"])
        own.ids["product"] = Self.string(
            try await Self.call(
                beta, "products.create",
                #"{"code":"BETA","name":"BETA Product","services":[{"code":"seat","name":"Seat","kind":"recurring"}]}"#)[
                    "id"])
        own.ids["book"] = Self.string(
            try await Self.call(beta, "price_books.create", #"{"name":"BETA Book","currency":"EUR"}"#)["id"])
        own.ids["process"] = Self.string(
            try await Self.call(
                beta, "billing_processes.create", #"{"name":"BETA Monthly","kind":"recurring","frequency":"monthly"}"#)[
                    "id"])
        own.ids["payment"] = Self.string(
            try await Self.call(
                beta, "payments.record",
                #"{"account_id":"\#(own["account"])","amount":"5","currency":"EUR","method":"bank_transfer","received_on":"2026-02-10"}"#
            )["id"])

        let before = try await Self.digest(of: alphaTenant.tenant.id)
        let foreign = Self.foreignCalls(alpha, beta: own)
        for (method, params) in foreign {
            do {
                let answer = try await Self.call(beta, method, params)
                Issue.record("\(method) \(params) answered \(answer) instead of not_found")
            } catch let error as RPCError {
                #expect(error.data.type == "not_found", "\(method) \(params): \(error)")
                #expect(!error.message.contains("ALPHA"), "\(method): \(error.message)")
            }
        }
        let ownCalls = Self.ownCalls(beta: own)
        for (method, params) in ownCalls {
            let answer = try await Self.call(beta, method, params)
            let text = String(decoding: try WireCoding.encode(answer), as: UTF8.self)
            #expect(!text.contains("ALPHA"), "\(method) \(params) showed ALPHA's data: \(text)")
        }
        // Methods for the operator only are refused to a tenant before their params are read.
        let operatorOnly = [
            ("tenants.create", "{}"), ("tenants.list", "{}"),
            ("api_keys.create", #"{"tenant_id":"\#(alphaTenant.tenant.id)"}"#),
            ("api_keys.revoke", #"{"api_key":"\#(alpha["api_key"])"}"#),
        ]
        for (method, params) in operatorOnly {
            let failure = await rpcFailure { try await Self.call(beta, method, params) }
            #expect(failure?.code == RPCErrorCode.forbidden.code, "\(method)")
        }
        // A subscription of BETA's sees BETA's events only.
        let subscribed = try await Self.call(beta, "events.subscribe", #"{"consumer":"beta-ledger","from":"start"}"#)
        #expect(Self.string(subscribed["cursor"]) != nil)
        _ = try await Self.call(beta, "ping", "{}")
        let pushed = try #require(await beta.nextPush())
        let pushedText = String(decoding: try WireCoding.encode(pushed.params), as: UTF8.self)
        #expect(pushed.method == "events.notify" && pushedText.contains("BETA") && !pushedText.contains("ALPHA"))

        let after = try await Self.digest(of: alphaTenant.tenant.id)
        for table in before.keys.sorted() where before[table] != after[table] {
            Issue.record("\(table): ALPHA's rows changed")
        }
        #expect(before.count >= 30)
        let owner = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let broken = try await BillingInvariants.violations(
            tenant: try #require(Int64(alphaTenant.tenant.id)), on: owner)
        await owner.close()
        #expect(broken.isEmpty, "\(broken)")

        // Every method the server answers was called above.
        let called = Set(
            (foreign + ownCalls + operatorOnly).map(\.0) + [
                "hello", "accounts.create", "contacts.create", "products.create", "price_books.create",
                "billing_processes.create", "payments.record", "events.subscribe",
            ])
        let served = BillingMethods.table(store: BillingStore(pool: server.pool)).methodNames.union(["hello"])
        #expect(served.subtracting(called).isEmpty, "not exercised: \(served.subtracting(called).sorted())")
        await alphaClient.close()
        await beta.close()
        try await server.stop()
    }

    /// The same at SQL level: a session as `billing_app` or `billing_report` for BETA reads none of
    /// ALPHA's rows in any tenant table or report view, and its updates and deletes of them touch
    /// nothing (or are refused outright).
    @Test func sqlSessionsOfOneTenantNeitherReadNorWriteAnothersRows() async throws {
        let server = try await RunningServer.start()
        let (alphaClient, alphaTenant, _) = try await Self.alpha(server)
        let (beta, betaTenant) = try await server.tenantClient(name: "BETA Ltd")
        _ = try await Self.call(beta, "accounts.create", #"{"name":"BETA Customer","currency":"EUR"}"#)
        let alpha = alphaTenant.tenant.id
        let owner = try await TestDatabase.shared.ownerPool(maxConnections: 1)
        let before = try await Self.digest(of: alpha, on: owner)
        let relations = try await owner.withConnection { connection in
            try await connection.query(
                """
                SELECT c.oid::regclass::text AS name, c.relkind::text AS kind FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND EXISTS (SELECT 1 FROM pg_attribute a
                              WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
                ORDER BY 1
                """
            ).map { (name: try $0.decode("name", as: String.self), kind: try $0.decode("kind", as: String.self)) }
        }
        #expect(relations.filter { $0.kind == "v" }.count >= 11)
        for role in ["billing_app", "billing_report"] {
            // The session does act for BETA: it sees BETA's own account.
            let own: Int = try await owner.withConnection { connection in
                try await connection.transaction { transaction in
                    try await transaction.execute(PostgresQuery(unsafeSQL: "SET LOCAL ROLE \(role)"))
                    try await transaction.execute(
                        "SELECT set_config('billing.tenant_id', \(betaTenant.tenant.id), true)")
                    return try await transaction.query("SELECT count(*)::bigint AS n FROM reporting.account_tree")[0]
                        .decode("n")
                }
            }
            #expect(own == 1, "\(role)")
            for relation in relations {
                var statements = ["SELECT count(*)::bigint AS n FROM \(relation.name) WHERE tenant_id = \(alpha)"]
                if relation.kind != "v" {
                    statements += [
                        """
                        WITH touched AS (UPDATE \(relation.name) SET tenant_id = tenant_id WHERE tenant_id = \(alpha)
                                         RETURNING 1)
                        SELECT count(*)::bigint AS n FROM touched
                        """,
                        """
                        WITH touched AS (DELETE FROM \(relation.name) WHERE tenant_id = \(alpha) RETURNING 1)
                        SELECT count(*)::bigint AS n FROM touched
                        """,
                    ]
                }
                for statement in statements {
                    do {
                        let seen: Int = try await owner.withConnection { connection in
                            try await connection.transaction { transaction in
                                try await transaction.execute(PostgresQuery(unsafeSQL: "SET LOCAL ROLE \(role)"))
                                try await transaction.execute(
                                    "SELECT set_config('billing.tenant_id', \(betaTenant.tenant.id), true)")
                                return try await transaction.query(PostgresQuery(unsafeSQL: statement))[0].decode("n")
                            }
                        }
                        #expect(seen == 0, "\(role): \(statement) reached \(seen) of ALPHA's rows")
                    } catch let error as PostgresError where error.sqlState == SQLState.insufficientPrivilege {
                        continue
                    }
                }
            }
        }
        let after = try await Self.digest(of: alpha, on: owner)
        #expect(before == after)
        await owner.close()
        await alphaClient.close()
        await beta.close()
    }
}
