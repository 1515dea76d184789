import BillingClient
import BillingProtocol
import Foundation
import Testing

/// `invoice_schedulers.*` over the wire.
@Suite struct InvoiceSchedulerTests {

    @Test func schedulersAreCreatedChangedAndDeleted() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let nightly = try await client.call(
            InvoiceSchedulersCreate.self,
            .init(name: "Nightly", cadence: "daily", time: "06:30", targetOffsetDays: -1, billGroup: "emea"))
        #expect(nightly.time == "06:30" && nightly.enabled && nightly.targetOffsetDays == -1 && !nightly.autoPost)
        #expect(nightly.billGroup == "emea" && nightly.weekday == nil && nightly.lastRunAt == nil)
        // The tenants of these tests are in Paris: 06:30 there is 05:30Z in winter, 04:30Z in summer.
        #expect(nightly.nextRunAt.hasSuffix("T05:30:00Z") || nightly.nextRunAt.hasSuffix("T04:30:00Z"))

        var weekly = InvoiceSchedulersUpdate.Params(id: nightly.id)
        weekly.cadence = "weekly"
        weekly.weekday = 1
        weekly.autoPost = true
        let monday = try await client.call(InvoiceSchedulersUpdate.self, weekly)
        #expect(monday.cadence == "weekly" && monday.weekday == 1 && monday.autoPost && monday.name == "Nightly")
        let next = try #require(ISO8601DateFormatter().date(from: monday.nextRunAt))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        #expect(calendar.component(.weekday, from: next) == 2)

        #expect(try await client.call(InvoiceSchedulersList.self, PageRequest()).items == [monday])
        #expect(
            await rpcFailure {
                try await client.call(InvoiceSchedulersCreate.self, .init(name: "X", cadence: "daily", time: "25:00"))
            }?.reason == "invalid_time")
        #expect(
            await rpcFailure {
                try await client.call(InvoiceSchedulersCreate.self, .init(name: "X", cadence: "monthly", time: "01:00"))
            }?.reason == "invalid_cadence")
        #expect(
            await rpcFailure {
                try await client.call(InvoiceSchedulersCreate.self, .init(name: "X", cadence: "hourly", time: "01:00"))
            }?.reason == "invalid_cadence")
        let paused = try await client.call(
            InvoiceSchedulersCreate.self, .init(name: "Paused", cadence: "daily", time: "01:00", enabled: false))
        #expect(!paused.enabled)
        _ = try await client.call(InvoiceSchedulersDelete.self, .init(id: paused.id))
        let deleted = try await client.call(InvoiceSchedulersDelete.self, .init(id: nightly.id))
        #expect(deleted.deleted)
        #expect(try await client.call(InvoiceSchedulersList.self, PageRequest()).items.isEmpty)
        #expect(
            await rpcFailure { try await client.call(InvoiceSchedulersDelete.self, .init(id: nightly.id)) }?.code
                == -32003)
        await client.close()
        try await server.stop()
    }
}
