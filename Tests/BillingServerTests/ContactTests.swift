import BillingClient
import BillingProtocol
import Testing

@Suite struct ContactTests {
    @Test func sharedContactsCarryRolesPerAccountAndOneBillingContact() async throws {
        let server = try await RunningServer.start()
        let (client, tenant) = try await server.tenantClient()
        let parent = try await client.call(AccountsCreate.self, .init(name: "Parent", currency: "EUR"))
        let child = try await client.call(
            AccountsCreate.self, .init(name: "Child", currency: "EUR", parentId: parent.id))
        let alice = try await client.call(
            ContactsCreate.self,
            .init(
                name: "Alice", email: "alice@example.com", phone: "+33 1 23 45 67 89",
                accounts: [
                    .init(accountId: parent.id, roles: ["billing", "primary"]),
                    .init(accountId: child.id, roles: ["shipping"]),
                ])
        )
        #expect(
            alice.accounts == [
                .init(accountId: parent.id, roles: ["billing", "primary"]),
                .init(accountId: child.id, roles: ["shipping"]),
            ])
        #expect(try await client.call(AccountsGet.self, .init(id: parent.id)).billingContactId == alice.id)
        #expect(try await client.call(AccountsGet.self, .init(id: child.id)).billingContactId == nil)

        let bob = try await client.call(ContactsCreate.self, .init(name: "Bob", email: "bob@example.com"))
        let linked = try await client.call(
            ContactsLink.self, .init(id: bob.id, accountId: parent.id, roles: ["billing"]))
        #expect(linked.accounts == [.init(accountId: parent.id, roles: ["billing"])])
        #expect(linked.version == 2)
        #expect(try await client.call(AccountsGet.self, .init(id: parent.id)).billingContactId == bob.id)
        let aliceNow = try await client.call(ContactsGet.self, .init(id: alice.id))
        #expect(aliceNow.accounts.first { $0.accountId == parent.id }?.roles == ["primary"])
        #expect(aliceNow.version == alice.version + 1)
        let again = try await client.call(
            ContactsLink.self, .init(id: bob.id, accountId: parent.id, roles: ["billing"]))
        #expect(again == linked)

        let ofParent = try await client.call(ContactsList.self, .init(accountId: parent.id))
        #expect(ofParent.items.map(\.name) == ["Alice", "Bob"])
        let unlinked = try await client.call(ContactsUnlink.self, .init(id: alice.id, accountId: child.id))
        #expect(unlinked.accounts.map(\.accountId) == [parent.id])
        let notLinked = await #expect(throws: RPCError.self) {
            try await client.call(ContactsUnlink.self, .init(id: alice.id, accountId: child.id))
        }
        #expect(notLinked?.code == -32003)
        let contactEvents = try await BillingActivity.eventTypes(tenantID: tenant.tenant.id).filter {
            $0.hasPrefix("contact.")
        }
        #expect(
            contactEvents == [
                "contact.created", "contact.created", "contact.updated", "contact.linked", "contact.unlinked",
            ]
        )
        await client.close()
        try await server.stop()
    }

    @Test func contactInputIsValidated() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let account = try await client.call(AccountsCreate.self, .init(name: "A", currency: "EUR"))
        for (input, reason) in [
            (ContactInput(name: "X", email: "not-an-email"), "invalid_email"),
            (ContactInput(name: "X", email: "a@b"), "invalid_email"),
            (ContactInput(name: "X", phone: "call me"), "invalid_phone"),
            (ContactInput(name: "X", accounts: [.init(accountId: account.id, roles: ["boss"])]), "invalid_role"),
            (ContactInput(name: " "), "invalid_name"),
        ] {
            let error = await #expect(throws: RPCError.self) { try await client.call(ContactsCreate.self, input) }
            #expect(error?.data.reason == reason)
        }
        let noAccount = await #expect(throws: RPCError.self) {
            try await client.call(ContactsCreate.self, .init(name: "X", accounts: [.init(accountId: "987654321")]))
        }
        #expect(noAccount?.code == -32003)
        await client.close()
        try await server.stop()
    }

    @Test func upsertByExternalIdAndVersionedUpdates() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let first = try await client.call(AccountsCreate.self, .init(name: "First", currency: "EUR"))
        let second = try await client.call(AccountsCreate.self, .init(name: "Second", currency: "EUR"))
        var pushed = ContactInput(
            name: "Carol", email: "carol@example.com", externalId: "sf-c-1",
            accounts: [.init(accountId: first.id, roles: ["billing"])])
        let created = try await client.call(ContactsUpsert.self, pushed)
        #expect(created.created && created.contact.version == 1)
        #expect(try await client.call(ContactsUpsert.self, pushed).contact.version == 1)
        pushed.accounts = [.init(accountId: second.id, roles: ["primary"])]
        let moved = try await client.call(ContactsUpsert.self, pushed)
        #expect(!moved.created)
        #expect(moved.contact.id == created.contact.id)
        #expect(moved.contact.accounts == [.init(accountId: second.id, roles: ["primary"])])
        #expect(moved.contact.version == 2)
        #expect(try await client.call(AccountsGet.self, .init(id: first.id)).billingContactId == nil)

        var stale = ContactsUpdate.Params(id: created.contact.id, expectedVersion: 1)
        stale.phone = .set("+1 555 0100")
        let conflict = await #expect(throws: RPCError.self) { try await client.call(ContactsUpdate.self, stale) }
        #expect(conflict?.code == -32004)
        stale.expectedVersion = 2
        stale.email = .set(nil)
        let updated = try await client.call(ContactsUpdate.self, stale)
        #expect(updated.phone == "+1 555 0100" && updated.email == nil && updated.version == 3)
        #expect(try await client.call(ContactsGet.self, .init(externalId: "sf-c-1")) == updated)
        await client.close()
        try await server.stop()
    }
}
