import BillingCore
import BillingStore
import Postgres
import TestSupport
import Testing

@Suite struct EventOutboxTests {
    @Test func eventsAreNumberedInOrderPerTenantAndOnlyWhenCommitted() async throws {
        let database = try await TestDatabase.shared
        let app = database.appPool()
        let store = BillingStore(pool: app)
        let tenant = try await TenantFixtures.makeTenant(store, name: "Outbox")
        let other = try await TenantFixtures.makeTenant(store, name: "Outbox other")

        let first = try await store.inTenant(tenant) { transaction in
            try await EventOutbox(transaction).append([
                NewEvent(type: "thing.created", entity: "thing", entityID: "1", data: #"{"n":1}"#),
                NewEvent(type: "thing.updated", entity: "thing", entityID: "1", data: #"{"n":2}"#),
            ])
        }
        #expect(first == [2, 3])

        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await store.inTenant(tenant) { transaction in
                try await EventOutbox(transaction).append(
                    NewEvent(type: "thing.deleted", entity: "thing", entityID: "1", data: "{}"))
                throw Abort()
            }
        }
        let next = try await store.inTenant(tenant) { transaction in
            try await EventOutbox(transaction).append(
                NewEvent(type: "thing.deleted", entity: "thing", entityID: "1", data: "{}"))
        }
        #expect(next == 4)
        let otherFirst = try await store.inTenant(other) { transaction in
            try await EventOutbox(transaction).append(
                NewEvent(type: "thing.created", entity: "thing", entityID: "9", data: "{}"))
        }
        #expect(otherFirst == 2)

        let stored = try await store.inTenant(tenant) { transaction in
            try await transaction.connection.query(
                "SELECT seq, type, data->>'n' AS n FROM events WHERE seq > 1 ORDER BY seq")
        }
        #expect(
            try stored.map { try $0.decode("type", as: String.self) } == [
                "thing.created", "thing.updated", "thing.deleted",
            ])
        #expect(try stored[1].decode("n", as: String?.self) == "2")
        await app.close()
    }
}
