import BillingClient
import BillingCore
import BillingProtocol
import EmbeddedPostgres
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 16, several processes on one database: two `billingd serve` and two `billingd worker`
/// processes, each with its health and metrics port. A run split into partitions is invoiced by
/// more than one of them, every transaction once, with gapless numbers; each process's metrics
/// count what it did.
@Suite(.serialized) struct ScaleOutTests {
    static let accounts = 3_000
    static let partitions = 6

    struct Node {
        let process: Process
        let port: Int?
        let healthPort: Int
    }

    @Test func twoServersAndTwoWorkersShareOneRunAndBillEveryTransactionOnce() async throws {
        let testbed = try await JobTestbed.make()
        let token = "scale-operator-\(UInt64.random(in: .min ... .max))"
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("scale-token-\(token)")
        try token.write(to: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tokenFile) }
        var groups: [WorkerProcesses] = []
        func start(_ subcommand: String) throws -> Node {
            let port = subcommand == "serve" ? try EmbeddedCluster.freePort() : nil
            let healthPort = try EmbeddedCluster.freePort()
            var settings = [
                "LEDGERLINE_HEALTH_LISTEN": "127.0.0.1:\(healthPort)", "LEDGERLINE_WORKER_CONCURRENCY": "2",
                "LEDGERLINE_OPERATOR_TOKEN_FILE": tokenFile.path, "LEDGERLINE_POOL_SIZE": "4",
            ]
            if let port { settings["LEDGERLINE_LISTEN"] = "127.0.0.1:\(port)" }
            let group = WorkerProcesses(databaseURL: testbed.appURL, settings: settings)
            groups.append(group)
            return Node(process: try group.start(billingd: [subcommand])[0], port: port, healthPort: healthPort)
        }
        let nodes = [try start("serve"), try start("serve"), try start("worker"), try start("worker")]
        for node in nodes {
            let healthy = try await testbed.eventually(within: .seconds(60)) {
                (try? await HTTPProbe.get(port: node.healthPort, path: "/health"))?.status == 200
            }
            #expect(healthy, "health port \(node.healthPort)")
        }
        #expect(try await HTTPProbe.get(port: nodes[0].healthPort, path: "/health").body == "ok\n")
        #expect(try await HTTPProbe.get(port: nodes[0].healthPort, path: "/nothing").status == 404)

        // The tenant is made over the first server; its customers, in bulk; the run starts on the second.
        let first = try await BillingClient.connect(host: "127.0.0.1", port: try #require(nodes[0].port))
        #expect(try await first.call(Health.self, NoParams()) == Health.Result(status: "ok", database: "ok"))
        _ = try await first.call(Hello.self, .init(operatorToken: token, client: "scale"))
        let created = try await first.call(
            TenantsCreate.self,
            .init(
                name: "Scale", defaultCurrency: "EUR", timezone: "UTC",
                legalEntity: .init(name: "Scale SAS", country: "FR")))
        await first.close()
        let tenant = try #require(TenantID(created.tenant.id))
        try await testbed.billedAccounts(Self.accounts, tenant: tenant)
        let expectedCents = try await testbed.number(
            "SELECT (sum(amount) * 100)::integer AS n FROM billing_transactions")

        let second = try await BillingClient.connect(host: "127.0.0.1", port: try #require(nodes[1].port))
        _ = try await second.call(Hello.self, .init(apiKey: created.apiKey, apiSecret: created.apiSecret))
        let started = try await second.call(
            InvoiceRunsStart.self,
            .init(targetDate: CalendarDate("2026-01-31")!, autoPost: true, partitions: Self.partitions))
        #expect(started.run.partitions == Self.partitions)
        var run = started.run
        let deadline = ContinuousClock.now + .seconds(180)
        while run.status != "completed" && run.status != "failed" && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            run = try await second.call(InvoiceRunsGet.self, .init(id: run.id))
        }
        await second.close()
        #expect(run.status == "completed")
        #expect(run.documents == Self.accounts && run.transactions == Self.accounts)

        // Every transaction billed once, every document whole, numbers gapless across the partitions.
        let count = Self.accounts
        try await testbed.expectEachTransactionBilledOnce(count, totalCents: expectedCents)
        #expect(
            try await testbed.number("SELECT count(DISTINCT number) AS n FROM invoices WHERE status = 'posted'")
                == count)
        #expect(
            try await testbed.number("SELECT max(substring(number FROM '[0-9]+$')::integer) AS n FROM invoices")
                == count)
        #expect(
            try await testbed.number(
                "SELECT count(*) AS n FROM invoice_run_partitions WHERE finished_at IS NOT NULL") == Self.partitions)
        #expect(try await testbed.number("SELECT count(*) AS n FROM events WHERE type = 'invoice.created'") == count)

        // Each process counts the documents it wrote; together they wrote each once, and more
        // than one process took part.
        var documentsByProcess: [Int] = []
        for node in nodes {
            let metrics = try await HTTPProbe.get(port: node.healthPort, path: "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("ledgerline_pool_connections_open"))
            #expect(HTTPProbe.sample(#"ledgerline_jobs{state="dead"}"#, in: metrics.body) == 0)
            documentsByProcess.append(
                Int(HTTPProbe.sample("ledgerline_invoice_run_documents_total", in: metrics.body) ?? 0))
        }
        #expect(documentsByProcess.reduce(0, +) == count, "\(documentsByProcess)")
        #expect(documentsByProcess.filter { $0 > 0 }.count >= 2, "\(documentsByProcess)")
        let secondMetrics = try await HTTPProbe.get(port: nodes[1].healthPort, path: "/metrics").body
        #expect(
            HTTPProbe.sample(#"ledgerline_requests_total{method="invoice_runs.start",code="ok"}"#, in: secondMetrics)
                == 1, "\(secondMetrics)")
        #expect(secondMetrics.contains(#"ledgerline_request_duration_seconds_count{method="invoice_runs.get"}"#))

        for group in groups { #expect(await group.stopAll() == [0]) }
        await testbed.close()
    }
}
