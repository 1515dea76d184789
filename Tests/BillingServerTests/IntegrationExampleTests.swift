import BillingClient
import BillingCore
import BillingProtocol
import BillingServices
import BillingStore
import Foundation
import TestSupport
import Testing

/// docs/integration.md's example consumer, run as written against a real server: it writes each
/// posted invoice once, and after a restart only those posted since its last acknowledgement.
@Suite struct IntegrationExampleTests {
    func d(_ text: String) -> Decimal6 { Decimal6(text)! }
    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// The consumer: the one python block of docs/integration.md.
    func consumerScript() throws -> URL {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/integration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let start = try #require(text.range(of: "```python\n"))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("consumer-\(UUID()).py")
        try String(text[start.upperBound..<end.lowerBound]).write(to: script, atomically: true, encoding: .utf8)
        return script
    }

    func runConsumer(
        _ script: URL, csv: URL, stopAfter: Int, port: Int, credentials: TenantsCreate.Result
    ) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, csv.path, String(stopAfter)]
        var environment = ProcessInfo.processInfo.environment
        environment["LEDGERLINE_PORT"] = String(port)
        environment["LEDGERLINE_API_KEY"] = credentials.apiKey
        environment["LEDGERLINE_API_SECRET"] = credentials.apiSecret
        process.environment = environment
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func theExampleConsumerWritesEachPostedInvoiceOnce() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let product = try await client.call(
            ProductsCreate.self,
            .init(
                code: "SVC", name: "Services",
                services: [ProductService(code: "setup", name: "Setup", kind: "one_time")]))
        let once = try await client.call(BillingProcessesCreate.self, .init(name: "Once", kind: "one_time"))
        let tenantID = try #require(TenantID(tenant.tenant.id))
        func bill(_ name: String, _ price: String, on date: String) async throws {
            let account = try await client.call(AccountsCreate.self, .init(name: name, currency: "EUR"))
            let order = try await client.call(
                OrdersCreate.self,
                .init(
                    accountId: account.id, type: "investment", startDate: day(date),
                    items: [
                        OrderItemInput(
                            productId: product.id, quantity: d("1"), unitPrice: d(price), billingProcessId: once.id)
                    ]))
            _ = try await client.call(OrdersActivate.self, .init(id: order.id, activationDate: day(date)))
            let run = try await client.call(
                InvoiceRunsStart.self, .init(targetDate: day(date), invoiceDate: day(date), autoPost: true)
            ).run
            let store = BillingStore(pool: try await TestDatabase.shared.appPool())
            try await InvoiceRunner(store: store).run(try #require(Int64(run.id)), tenant: tenantID)
            await store.pool.close()
        }
        try await bill("Alpha", "100", on: "2026-01-31")
        try await bill("Beta", "250.5", on: "2026-01-31")
        let script = try consumerScript()
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("invoices-\(UUID()).csv")
        #expect(try await runConsumer(script, csv: csv, stopAfter: 2, port: server.port, credentials: tenant) == 0)
        var rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\r\n").map(String.init)
        #expect(rows.count == 2)
        #expect(
            rows.sorted().map { $0.split(separator: ",").first.map(String.init) } == [
                "INV-2026-000001", "INV-2026-000002",
            ])
        #expect(rows.contains { $0.hasSuffix(",EUR,250.50,0.00,250.50") })

        // Started again, it writes only what was posted since its last acknowledgement.
        try await bill("Gamma", "40", on: "2026-02-28")
        #expect(try await runConsumer(script, csv: csv, stopAfter: 1, port: server.port, credentials: tenant) == 0)
        rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\r\n").map(String.init)
        #expect(rows.count == 3 && rows[2].hasPrefix("INV-2026-000003,2026-02-28,"))
        try? FileManager.default.removeItem(at: script)
        try? FileManager.default.removeItem(at: csv)
    }
}
