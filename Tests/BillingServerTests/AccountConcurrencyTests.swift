import BillingClient
import BillingProtocol
import Testing

@Suite struct AccountConcurrencyTests {
    /// A under B and B under A at the same time: exactly one wins, the other is a cycle.
    @Test func oppositeMovesAtOnceNeverMakeACycle() async throws {
        let server = try await RunningServer.start()
        let (first, created) = try await server.tenantClient()
        let second = try await server.connect()
        _ = try await second.call(Hello.self, .init(apiKey: created.apiKey, apiSecret: created.apiSecret))
        for round in 1...5 {
            let a = try await first.call(AccountsCreate.self, .init(name: "A\(round)", currency: "EUR"))
            let b = try await first.call(AccountsCreate.self, .init(name: "B\(round)", currency: "EUR"))
            async let aUnderB = outcome {
                try await first.call(AccountsSetParent.self, .init(id: a.id, parentId: b.id))
            }
            async let bUnderA = outcome {
                try await second.call(AccountsSetParent.self, .init(id: b.id, parentId: a.id))
            }
            let outcomes = await [aUnderB, bUnderA]
            #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1)
            let refused = outcomes.compactMap { outcome -> String? in
                guard case .failure(let error as RPCError) = outcome else { return nil }
                return error.data.reason
            }
            #expect(refused == ["hierarchy_cycle"])
        }
        await first.close()
        await second.close()
        try await server.stop()
    }

    /// Creating a child under P while P is being closed: never an open child under a closed parent.
    @Test func aChildAndTheClosingOfItsParentNeverBothWin() async throws {
        let server = try await RunningServer.start()
        let (first, created) = try await server.tenantClient()
        let second = try await server.connect()
        _ = try await second.call(Hello.self, .init(apiKey: created.apiKey, apiSecret: created.apiSecret))
        for round in 1...5 {
            let parent = try await first.call(AccountsCreate.self, .init(name: "P\(round)", currency: "EUR"))
            async let child = outcome {
                try await first.call(
                    AccountsCreate.self, .init(name: "C\(round)", currency: "EUR", parentId: parent.id))
            }
            async let closing = outcome { try await second.call(AccountsClose.self, .init(id: parent.id)) }
            let (childOutcome, closeOutcome) = await (child, closing)
            let childMade = (try? childOutcome.get()) != nil
            let parentClosed = (try? closeOutcome.get()) != nil
            #expect(childMade != parentClosed)
        }
        await first.close()
        await second.close()
        try await server.stop()
    }

    @Test func repeatsChangeNothingAndMovesVersionTheWholeSubtree() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let input = AccountInput(
            name: "Steady", currency: "EUR", externalId: "steady-1",
            address: .init(line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US")
        )
        let first = try await client.call(AccountsUpsert.self, input)
        let again = try await client.call(AccountsUpsert.self, input)
        #expect(again.account == first.account)
        var rename = AccountsUpdate.Params(id: first.account.id)
        rename.name = "Steady"
        #expect(try await client.call(AccountsUpdate.self, rename).version == 1)

        let child = try await client.call(
            AccountsCreate.self, .init(name: "Kid", currency: "EUR", parentId: first.account.id))
        let grandchild = try await client.call(
            AccountsCreate.self, .init(name: "Grandkid", currency: "EUR", parentId: child.id))
        let elsewhere = try await client.call(AccountsCreate.self, .init(name: "Elsewhere", currency: "EUR"))
        _ = try await client.call(AccountsSetParent.self, .init(id: child.id, parentId: elsewhere.id))
        let movedGrandchild = try await client.call(AccountsGet.self, .init(id: grandchild.id))
        #expect(movedGrandchild.rootId == elsewhere.id && movedGrandchild.version == grandchild.version + 1)
        let types = try await BillingActivity.eventTypes(tenantID: tenant.tenant.id).filter { $0.hasPrefix("account.") }
        #expect(types == ["account.created", "account.created", "account.created", "account.created", "account.moved"])

        let switchedCurrency = try await client.call(
            AccountsUpsert.self, .init(name: "Dollar", currency: "USD", externalId: "fx-1"))
        let usdParent = try await client.call(AccountsCreate.self, .init(name: "US parent", currency: "USD"))
        var both = AccountInput(name: "Dollar", currency: "EUR", externalId: "fx-1", parentId: elsewhere.id)
        let movedAndSwitched = try await client.call(AccountsUpsert.self, both)
        #expect(movedAndSwitched.account.currency == "EUR" && movedAndSwitched.account.parentId == elsewhere.id)
        both.currency = "USD"
        both.parentId = usdParent.id
        #expect(try await client.call(AccountsUpsert.self, both).account.rootId == usdParent.id)
        #expect(switchedCurrency.created)
        await client.close()
        try await server.stop()
    }

    @Test func aNewBillingContactIsAChangeOfTheAccount() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let account = try await client.call(AccountsCreate.self, .init(name: "Billed", currency: "EUR"))
        let dana = try await client.call(
            ContactsCreate.self, .init(name: "Dana", accounts: [.init(accountId: account.id, roles: ["billing"])]))
        let afterLink = try await client.call(AccountsGet.self, .init(id: account.id))
        #expect(afterLink.billingContactId == dana.id && afterLink.version == 2)
        _ = try await client.call(ContactsUnlink.self, .init(id: dana.id, accountId: account.id))
        let afterUnlink = try await client.call(AccountsGet.self, .init(id: account.id))
        #expect(afterUnlink.billingContactId == nil && afterUnlink.version == 3)
        let types = try await BillingActivity.eventTypes(tenantID: tenant.tenant.id).filter { $0.hasPrefix("account.") }
        #expect(types == ["account.created", "account.updated", "account.updated"])
        await client.close()
        try await server.stop()
    }
}

/// What an async call ended with, kept to compare with a concurrent one.
func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
