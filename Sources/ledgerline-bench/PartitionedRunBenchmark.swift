import BillingCore
import BillingServices
import BillingStore
import Postgres

/// Figure: the same invoice run in one piece and split into partitions run at once (as separate
/// worker processes would take them), on two tenants with identical data.
struct PartitionedRunBenchmark {
    let accounts: Int
    let itemsPerAccount: Int
    let partitions: Int

    func run(on database: BenchDatabase, store: BillingStore) async throws -> [Figure] {
        var tenants: [TenantID] = []
        for index in 0..<2 {
            tenants.append(
                try await InvoiceRunBenchmark.tenant(
                    named: "Partitioned \(index)", base: Int64(index + 11) * 100_000_000, accounts: accounts,
                    items: itemsPerAccount, database: database, store: store))
        }
        try await database.analyze()
        let whole = try await Figure.time { try await Self.invoice(tenants[0], partitions: 1, store: store) }
        let split = try await Figure.time {
            try await Self.invoice(tenants[1], partitions: partitions, store: store)
        }
        let documents = try await database.owner {
            try await $0.query(
                "SELECT count(*) AS n FROM invoices WHERE tenant_id = \(tenants[1].rawValue)")[0].decode(
                    "n", as: Int.self)
        }
        return [
            Figure(
                name: "invoice_run_partitioned",
                values: [
                    "accounts": accounts, "partitions": partitions, "documents": documents,
                    "seconds": Figure.round(split), "documents_per_second": Figure.round(Double(documents) / split),
                    "baseline": ["what": "the same run in one piece", "seconds": Figure.round(whole)],
                    "speedup": Figure.round(whole / split),
                ])
        ]
    }

    /// Starts the run, rates usage and queues nothing when whole; split, runs every partition at once.
    private static func invoice(_ tenant: TenantID, partitions: Int, store: BillingStore) async throws {
        let run = try await InvoiceRunService(store: store).start(
            .init(targetDate: CalendarDate(year: 2026, month: 1, day: 31)!, partitions: partitions), tenant: tenant
        ).run
        guard let id = Int64(run.id) else { return }
        let runner = InvoiceRunner(store: store)
        try await runner.run(id, tenant: tenant)
        guard partitions > 1 else { return }
        try await withThrowingDiscardingTaskGroup { group in
            for number in 0..<partitions {
                group.addTask { try await runner.run(id, partition: number, tenant: tenant) }
            }
        }
    }
}
