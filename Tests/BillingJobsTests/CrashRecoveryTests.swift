import BillingClient
import BillingProtocol
import EmbeddedPostgres
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, faults: `billingd serve` (protocol and job workers in one process, as in production)
/// killed with SIGKILL at random moments while partners activate orders, send usage, record
/// payments and invoice runs run; after a clean restart finishes the work, every invariant holds.
/// `LEDGERLINE_SOAK_KILLS` sets how many kills (3 by default; `make soak` does 25).
@Suite(.serialized) struct CrashRecoveryTests {
    static let kills = ProcessInfo.processInfo.environment["LEDGERLINE_SOAK_KILLS"].flatMap { Int($0) } ?? 3
    static let accounts = 40
    static let usageBatch = 100

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func text(_ value: JSONValue?) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    static func items(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value?["items"] { return items }
        return []
    }

    /// One life of `billingd serve`: started, connected to, killed.
    struct Server {
        let process: Process
        let port: Int

        /// A session as the tenant (or the operator, without a key); waits for the server to listen.
        func connect(
            apiKey: String? = nil, apiSecret: String? = nil, operatorToken: String? = nil
        ) async throws
            -> BillingClient
        {
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                do {
                    let client = try await BillingClient.connect(host: "127.0.0.1", port: port)
                    _ = try await client.call(
                        Hello.self,
                        Hello.Params(
                            apiKey: apiKey, apiSecret: apiSecret, operatorToken: operatorToken, client: "crash"))
                    return client
                } catch  where ContinuousClock.now < deadline && process.isRunning {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
    }

    /// What the partners did that the server acknowledged.
    actor Ledger {
        var acknowledgedBatches: Set<Int> = []
        var nextBatch = 0
        var month = 1

        func takeBatch() -> Int {
            nextBatch += 1
            return nextBatch
        }

        func acknowledge(_ batch: Int) { acknowledgedBatches.insert(batch) }
        func currentMonth() -> Int { month }
        func finishMonth() { month += 1 }
    }

    static let monthEnds = ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"]

    /// Partners at work until the connection dies, all at once: activating orders, sending usage
    /// for June, starting each month's invoice run once the last has completed, and paying posted
    /// invoices. Finishing, they work one after another to the end instead.
    static func work(_ client: BillingClient, ledger: Ledger, finishing: Bool) async {
        guard !finishing else {
            await activate(client)
            await sendUsage(client, ledger: ledger, batches: 3)
            await runMonths(client, ledger: ledger, through: 6)
            await pay(client, rounds: 1)
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await activate(client) }
            group.addTask { await sendUsage(client, ledger: ledger, batches: 1_000) }
            group.addTask { await runMonths(client, ledger: ledger, through: 5) }
            group.addTask { await pay(client, rounds: 1_000) }
        }
    }

    /// Activates the draft orders, five at a time, until none is left.
    static func activate(_ client: BillingClient) async {
        while true {
            guard
                let drafts = try? await client.call(
                    method: "orders.list", params: json(#"{"status":"draft","limit":5}"#)),
                !items(drafts).isEmpty
            else { return }
            let ids = items(drafts).compactMap { text($0["id"]) }.map { #""\#($0)""# }.joined(separator: ",")
            guard
                (try? await client.call(
                    method: "orders.activate_many", params: json(#"{"ids":[\#(ids)],"activation_date":"2026-01-01"}"#)))
                    != nil
            else { return }
        }
    }

    /// Sends usage batches for the accounts with active orders until `batches` were acknowledged
    /// (or as many tries, a tenth of a second apart while none is active).
    static func sendUsage(_ client: BillingClient, ledger: Ledger, batches: Int) async {
        var acknowledged = 0
        for _ in 0..<(batches * 20) where acknowledged < batches {
            guard
                let active = try? await client.call(
                    method: "orders.list", params: json(#"{"status":"active","limit":100}"#))
            else { return }
            let accountIDs = items(active).compactMap { text($0["account_id"]) }
            guard !accountIDs.isEmpty else {
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            let batch = await ledger.takeBatch()
            let events = (0..<usageBatch).map { index in
                #"{"event_id":"b\#(batch)-\#(index)","account_id":"\#(accountIDs[index % accountIDs.count])","metric":"calls","quantity":"\#(index % 7 + 1)","at":"2026-06-\#(String(format: "%02d", index % 28 + 1))T12:00:00Z"}"#
            }
            do {
                _ = try await client.call(
                    method: "usage.record", params: json(#"{"events":[\#(events.joined(separator: ","))]}"#))
                await ledger.acknowledge(batch)
                acknowledged += 1
            } catch is RPCError {
                continue
            } catch {
                return
            }
        }
    }

    /// Starts each month's run (auto-posting) once the month before has completed, through `last`.
    static func runMonths(_ client: BillingClient, ledger: Ledger, through last: Int) async {
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            let month = await ledger.currentMonth()
            guard month <= last else { return }
            let target = monthEnds[month - 1]
            guard let runs = try? await client.call(method: "invoice_runs.list", params: json(#"{"limit":100}"#))
            else { return }
            let ofMonth = items(runs).filter { text($0["target_date"]) == target }
            if ofMonth.contains(where: { text($0["status"]) == "completed" }) {
                await ledger.finishMonth()
                continue
            }
            if ofMonth.isEmpty {
                guard
                    (try? await client.call(
                        method: "invoice_runs.start",
                        params: json(
                            #"{"target_date":"\#(target)","auto_post":true,"idempotency_key":"run-\#(target)"}"#)))
                        != nil
                else { return }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Pays 5.00 of up to five posted invoices per round, each from a payment of 7.50.
    static func pay(_ client: BillingClient, rounds: Int) async {
        for _ in 0..<rounds {
            guard
                let posted = try? await client.call(
                    method: "invoices.list", params: json(#"{"status":"posted","limit":5}"#))
            else { return }
            for invoice in items(posted) {
                guard let id = text(invoice["id"]), let account = text(invoice["account_id"]) else { continue }
                guard
                    let payment = try? await client.call(
                        method: "payments.record",
                        params: json(
                            #"{"account_id":"\#(account)","amount":"7.5","currency":"EUR","method":"bank_transfer","received_on":"2026-07-01"}"#
                        ))
                else { return }
                _ = try? await client.call(
                    method: "payments.allocate",
                    params: json(
                        #"{"payment_id":"\#(text(payment["id"]) ?? "")","allocations":[{"invoice_id":"\#(id)","amount":"5"}]}"#
                    ))
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func billingdKilledDuringRunsActivationsAndUsageKeepsEveryInvariant() async throws {
        let testbed = try await JobTestbed.make()
        let token = "crash-operator-\(UInt64.random(in: .min ... .max))"
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("crash-token-\(token)")
        try token.write(to: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tokenFile) }
        let port = try EmbeddedCluster.freePort()
        let processes = WorkerProcesses(
            databaseURL: testbed.appURL,
            settings: [
                "LEDGERLINE_LISTEN": "127.0.0.1:\(port)", "LEDGERLINE_OPERATOR_TOKEN_FILE": tokenFile.path,
                "LEDGERLINE_JOB_LEASE_SECONDS": "1", "LEDGERLINE_JOB_POLL_SECONDS": "0.2",
                "LEDGERLINE_JOB_RETRY_SECONDS": "0.2",
            ])
        func start() throws -> Server { Server(process: try processes.start(billingd: ["serve"])[0], port: port) }

        // The tenant and its catalog, 40 customers with a draft subscription each (a seat and metered calls).
        var server = try start()
        let operatorClient = try await server.connect(operatorToken: token)
        let tenant = try await operatorClient.call(
            TenantsCreate.self,
            .init(
                name: "Crash", defaultCurrency: "EUR", timezone: "UTC",
                legalEntity: .init(name: "Crash SAS", country: "FR")))
        await operatorClient.close()
        var client = try await server.connect(apiKey: tenant.apiKey, apiSecret: tenant.apiSecret)
        func id(_ method: String, _ params: String) async throws -> String {
            Self.text(try await client.call(method: method, params: Self.json(params))["id"]) ?? ""
        }
        let product = try await id(
            "products.create",
            #"{"code":"SVC","name":"Service","services":[{"code":"seat","name":"Seat","kind":"recurring"},{"code":"calls","name":"Calls","kind":"usage"}]}"#
        )
        let book = try await id("price_books.create", #"{"name":"List","currency":"EUR","is_default":true}"#)
        _ = try await client.call(
            method: "price_books.set_prices",
            params: Self.json(
                #"{"price_book_id":"\#(book)","prices":[{"product_id":"\#(product)","service_code":"seat","unit_price":"30","effective_from":"2020-01-01"},{"product_id":"\#(product)","service_code":"calls","unit_price":"0.01","effective_from":"2020-01-01"}]}"#
            ))
        _ = try await id(
            "tax_rates.create", #"{"country":"FR","tax_category":"standard","rate":"20","valid_from":"2020-01-01"}"#)
        let monthly = try await id(
            "billing_processes.create", #"{"name":"Monthly","kind":"recurring","frequency":"monthly"}"#)
        let metered = try await id(
            "billing_processes.create", #"{"name":"Usage","kind":"usage","frequency":"monthly"}"#)
        for index in 1...Self.accounts {
            let account = try await id(
                "accounts.create",
                #"{"name":"Customer \#(index)","currency":"EUR","billing_day":1,"tax":{"country":"FR"}}"#)
            _ = try await id(
                "orders.create",
                #"{"account_id":"\#(account)","type":"subscription","start_date":"2026-01-01","items":[{"product_id":"\#(product)","service_code":"seat","quantity":"\#(index % 5 + 1)","billing_process_id":"\#(monthly)"},{"product_id":"\#(product)","service_code":"calls","quantity":"1","billing_process_id":"\#(metered)"}]}"#
            )
        }

        // Work, and kill billingd at a random moment of it, again and again.
        let ledger = Ledger()
        for _ in 0..<Self.kills {
            let working = Task { [client] in await Self.work(client, ledger: ledger, finishing: false) }
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1_500)))
            processes.signal(server.process, SIGKILL)
            server.process.waitUntilExit()
            await working.value
            await client.close()
            server = try start()
            client = try await server.connect(apiKey: tenant.apiKey, apiSecret: tenant.apiSecret)
        }

        // A clean life finishes the work: every order active, every month invoiced, June's usage too.
        await Self.work(client, ledger: ledger, finishing: true)
        let finished = try await testbed.eventually(within: .seconds(120)) {
            try await testbed.number(
                "SELECT count(*) AS n FROM invoice_runs WHERE status = 'completed' AND target_date = '2026-06-30'") >= 1
        }
        #expect(finished, "the June run did not complete")
        await client.close()
        #expect(await processes.stopAll() == [0])

        let tenantID = try #require(Int64(tenant.tenant.id))
        let broken = try await BillingInvariants.violations(tenant: tenantID, on: testbed.owner)
        #expect(broken.isEmpty, "\(broken)")
        // Nothing due by the end of June was left unbilled.
        #expect(
            try await testbed.number(
                """
                SELECT count(*) AS n FROM billing_transactions
                WHERE tenant_id = \(tenantID) AND status = 'pending' AND billing_date <= '2026-06-30'
                """) == 0)
        #expect(
            try await testbed.number(
                "SELECT count(*) AS n FROM orders WHERE tenant_id = \(tenantID) AND status = 'draft'")
                == 0)
        // An order is activated whole: no order has items of both states.
        #expect(
            try await testbed.number(
                """
                SELECT count(*) AS n FROM (SELECT order_id FROM order_items WHERE tenant_id = \(tenantID)
                                           GROUP BY order_id HAVING count(DISTINCT status) > 1) mixed
                """) == 0)
        // Each usage batch is stored whole or not at all, and every acknowledged batch whole.
        let stored = try await testbed.rows(
            """
            SELECT split_part(event_id, '-', 1) AS batch, count(*)::bigint AS n FROM usage_events
            WHERE tenant_id = \(tenantID) GROUP BY 1
            """)
        var storedBatches: [Int: Int] = [:]
        for row in stored {
            let batch: String = try row.decode("batch")
            storedBatches[Int(batch.dropFirst()) ?? -1] = try row.decode("n")
        }
        #expect(storedBatches.values.allSatisfy { $0 == Self.usageBatch }, "\(storedBatches)")
        for batch in await ledger.acknowledgedBatches {
            #expect(storedBatches[batch] == Self.usageBatch, "acknowledged batch \(batch) is not stored whole")
        }
        #expect(!storedBatches.isEmpty)
        let summary = try await testbed.rows(
            """
            SELECT (SELECT count(DISTINCT target_date) FROM invoice_runs WHERE tenant_id = \(tenantID) AND status = 'completed') AS months,
                   (SELECT count(*) FROM invoices WHERE tenant_id = \(tenantID) AND number IS NOT NULL) AS numbered,
                   (SELECT count(*) FROM invoice_lines l
                    JOIN billing_transactions b ON b.tenant_id = l.tenant_id AND b.id = l.billing_transaction_id
                    JOIN order_items i ON i.tenant_id = b.tenant_id AND i.id = b.order_item_id
                    WHERE l.tenant_id = \(tenantID) AND i.service_code = 'seat') AS seat_lines,
                   (SELECT count(*) FROM payment_allocations WHERE tenant_id = \(tenantID)) AS allocations
            """)[0]
        let months: Int = try summary.decode("months")
        let numbered: Int = try summary.decode("numbered")
        let allocations: Int = try summary.decode("allocations")
        let seatLines: Int = try summary.decode("seat_lines")
        print(
            "crash recovery: \(Self.kills) kills, \(months) months invoiced, \(numbered) documents, "
                + "\(seatLines) seat lines, \(allocations) allocations, "
                + "\(storedBatches.count) usage batches (\(await ledger.acknowledgedBatches.count) acknowledged)")
        // Each seat billed for each month from January to June exactly once, whenever its order was
        // activated (a late one catches up on its next invoice).
        #expect(months == 6 && seatLines == Self.accounts * 6 && numbered > 0 && allocations > 0)
        await testbed.close()
    }
}
