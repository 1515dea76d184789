import BillingClient
import BillingProtocol
import Foundation
import Postgres
import TestSupport
import Testing

/// Accounts over the wire, every rule of BILLING.md §10 with its reason.
@Suite struct AccountTests {
    @Test func createGetAndInheritedSettings() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let root = try await client.call(
            AccountsCreate.self,
            .init(
                name: "Holding", currency: "EUR", externalId: "crm-1", paymentTermsDays: 45, billGroup: "emea",
                tax: .init(country: "FR", vatNumber: "FR123"),
                address: .init(line1: "1 rue A", city: "Paris", postalCode: "75001", country: "FR"))
        )
        #expect(root.rootId == root.id && root.parentId == nil && root.status == "active" && root.version == 1)
        #expect(
            root.effective
                == .init(
                    subscriptionInvoicerId: root.id, usageInvoiceRecipientId: root.id, taxAccountId: root.id,
                    paymentTermsDays: 45, billGroup: "emea", billingDay: nil))
        #expect(root.address?.city == "Paris")
        let child = try await client.call(
            AccountsCreate.self, .init(name: "Subsidiary", currency: "EUR", parentId: root.id, billingDay: 15))
        #expect(child.rootId == root.id)
        #expect(child.paymentTermsDays == nil)
        #expect(
            child.effective
                == .init(
                    subscriptionInvoicerId: root.id, usageInvoiceRecipientId: root.id, taxAccountId: root.id,
                    paymentTermsDays: 45, billGroup: "emea", billingDay: 15))
        #expect(try await client.call(AccountsGet.self, .init(externalId: "crm-1")) == root)
        #expect(try await client.call(AccountsGet.self, .init(id: child.id)) == child)
        let missing = await rpcFailure { try await client.call(AccountsGet.self, .init(id: "999999999")) }
        #expect(missing?.code == -32003)
        await client.close()
        try await server.stop()
    }

    @Test func everyHierarchyRuleHasItsReason() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let root = try await client.call(AccountsCreate.self, .init(name: "Root", currency: "EUR"))
        let child = try await client.call(AccountsCreate.self, .init(name: "Child", currency: "EUR", parentId: root.id))
        let grandchild = try await client.call(
            AccountsCreate.self, .init(name: "Grandchild", currency: "EUR", parentId: child.id))
        let other = try await client.call(AccountsCreate.self, .init(name: "Other", currency: "EUR"))

        let mismatch = await rpcFailure {
            try await client.call(AccountsCreate.self, .init(name: "USD kid", currency: "USD", parentId: root.id))
        }
        #expect(mismatch?.reason == "currency_mismatch")
        let unknown = await rpcFailure { try await client.call(AccountsCreate.self, .init(name: "X", currency: "XYZ")) }
        #expect(unknown?.reason == "unknown_currency")
        let cycle = await rpcFailure {
            try await client.call(AccountsSetParent.self, .init(id: root.id, parentId: grandchild.id))
        }
        #expect(cycle?.reason == "hierarchy_cycle")
        let selfParent = await rpcFailure {
            try await client.call(AccountsSetParent.self, .init(id: child.id, parentId: child.id))
        }
        #expect(selfParent?.reason == "hierarchy_cycle")
        let outside = await rpcFailure {
            try await client.call(
                AccountsCreate.self,
                .init(name: "Y", currency: "EUR", parentId: root.id, subscriptionInvoicerId: other.id))
        }
        #expect(outside?.reason == "not_in_hierarchy")
        #expect(outside?.field == "subscription_invoicer_id")
        let outsideUpdate = await rpcFailure {
            var update = AccountsUpdate.Params(id: child.id)
            update.taxAccountId = .set(other.id)
            return try await client.call(AccountsUpdate.self, update)
        }
        #expect(outsideUpdate?.reason == "not_in_hierarchy")
        let busy = await rpcFailure { try await client.call(AccountsClose.self, .init(id: child.id)) }
        #expect(busy?.reason == "has_active_children")
        _ = try await client.call(AccountsClose.self, .init(id: grandchild.id))
        let closedParent = await rpcFailure {
            try await client.call(AccountsCreate.self, .init(name: "Z", currency: "EUR", parentId: grandchild.id))
        }
        #expect(closedParent?.reason == "parent_closed")
        let closedChild = try await client.call(AccountsClose.self, .init(id: child.id))
        #expect(closedChild.status == "closed")
        let statusClosed = await rpcFailure {
            var update = AccountsUpdate.Params(id: other.id)
            update.status = "closed"
            return try await client.call(AccountsUpdate.self, update)
        }
        #expect(statusClosed?.reason == "invalid_status")
        let badDay = await rpcFailure {
            try await client.call(AccountsCreate.self, .init(name: "D", currency: "EUR", billingDay: 32))
        }
        #expect(badDay?.reason == "invalid_billing_day")
        let exempt = await rpcFailure {
            try await client.call(AccountsCreate.self, .init(name: "E", currency: "EUR", tax: .init(exempt: true)))
        }
        #expect(exempt?.reason == "exemption_reason_required")
        await client.close()
        try await server.stop()
    }

    @Test func billingActivityLocksCurrencyAndCrossHierarchyMoves() async throws {
        let server = try await RunningServer.start()
        let (client, created) = try await server.tenantClient()
        let first = try await client.call(AccountsCreate.self, .init(name: "First", currency: "EUR"))
        let second = try await client.call(AccountsCreate.self, .init(name: "Second", currency: "EUR"))
        let child = try await client.call(
            AccountsCreate.self, .init(name: "Child", currency: "EUR", parentId: first.id))
        let sibling = try await client.call(
            AccountsCreate.self, .init(name: "Sibling", currency: "EUR", parentId: first.id))

        var toUSD = AccountsUpdate.Params(id: second.id)
        toUSD.currency = "USD"
        #expect(try await client.call(AccountsUpdate.self, toUSD).currency == "USD")
        toUSD.currency = "EUR"
        _ = try await client.call(AccountsUpdate.self, toUSD)
        let parentWithChildren = await rpcFailure {
            var update = AccountsUpdate.Params(id: first.id)
            update.currency = "GBP"
            return try await client.call(AccountsUpdate.self, update)
        }
        #expect(parentWithChildren?.reason == "currency_mismatch")

        try await BillingActivity.mark(accountID: child.id, tenantID: created.tenant.id)
        var childToUSD = AccountsUpdate.Params(id: child.id)
        childToUSD.currency = "USD"
        let locked = await rpcFailure { try await client.call(AccountsUpdate.self, childToUSD) }
        #expect(locked?.reason == "currency_locked")
        let acrossHierarchies = await rpcFailure {
            try await client.call(AccountsSetParent.self, .init(id: child.id, parentId: second.id))
        }
        #expect(acrossHierarchies?.reason == "hierarchy_locked")
        let moved = try await client.call(AccountsSetParent.self, .init(id: child.id, parentId: sibling.id))
        #expect(moved.parentId == sibling.id && moved.rootId == first.id)
        await client.close()
        try await server.stop()
    }

    /// Five levels with overrides at levels 1 and 3 resolve right before and after the subtree
    /// under level 3 moves to another hierarchy.
    @Test func fiveLevelsResolveBeforeAndAfterASubtreeMove() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let level1 = try await client.call(
            AccountsCreate.self, .init(name: "L1", currency: "EUR", paymentTermsDays: 60, billGroup: "gold"))
        let level2 = try await client.call(AccountsCreate.self, .init(name: "L2", currency: "EUR", parentId: level1.id))
        let level3 = try await client.call(
            AccountsCreate.self, .init(name: "L3", currency: "EUR", parentId: level2.id, billingDay: 10))
        var invoiceSelf = AccountsUpdate.Params(id: level3.id)
        invoiceSelf.subscriptionInvoicerId = .set(level3.id)
        _ = try await client.call(AccountsUpdate.self, invoiceSelf)
        let level4 = try await client.call(AccountsCreate.self, .init(name: "L4", currency: "EUR", parentId: level3.id))
        let level5 = try await client.call(AccountsCreate.self, .init(name: "L5", currency: "EUR", parentId: level4.id))
        let otherRoot = try await client.call(
            AccountsCreate.self, .init(name: "Other", currency: "EUR", paymentTermsDays: 15))

        func effective(_ id: String) async throws -> EffectiveAccountSettings {
            try await client.call(AccountsGet.self, .init(id: id)).effective
        }
        for id in [level1.id, level2.id] {
            #expect(
                try await effective(id)
                    == .init(
                        subscriptionInvoicerId: level1.id, usageInvoiceRecipientId: level1.id, taxAccountId: level1.id,
                        paymentTermsDays: 60, billGroup: "gold", billingDay: nil))
        }
        for id in [level3.id, level4.id, level5.id] {
            #expect(
                try await effective(id)
                    == .init(
                        subscriptionInvoicerId: level3.id, usageInvoiceRecipientId: level1.id, taxAccountId: level1.id,
                        paymentTermsDays: 60, billGroup: "gold", billingDay: 10))
        }
        let tree = try await client.call(AccountsHierarchy.self, .init(id: level5.id))
        #expect(tree.root.account.id == level1.id)
        #expect(
            tree.root.children.first?.children.first?.children.first?.children.first?.account.effective
                == (try await effective(level5.id)))

        let moved = try await client.call(AccountsSetParent.self, .init(id: level3.id, parentId: otherRoot.id))
        #expect(moved.rootId == otherRoot.id)
        for id in [level3.id, level4.id, level5.id] {
            let account = try await client.call(AccountsGet.self, .init(id: id))
            #expect(account.rootId == otherRoot.id)
            #expect(
                account.effective
                    == .init(
                        subscriptionInvoicerId: level3.id, usageInvoiceRecipientId: otherRoot.id,
                        taxAccountId: otherRoot.id, paymentTermsDays: 15, billGroup: nil, billingDay: 10))
        }
        #expect(try await effective(level2.id).paymentTermsDays == 60)
        let hierarchy = try await client.call(AccountsList.self, .init(rootId: otherRoot.id))
        #expect(Set(hierarchy.items.map(\.id)) == [otherRoot.id, level3.id, level4.id, level5.id])
        #expect(hierarchy.items.first { $0.id == level5.id }?.effective.paymentTermsDays == 15)
        await client.close()
        try await server.stop()
    }

    @Test func aMoveThatWouldBreakAReferenceIsRefused() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let root = try await client.call(AccountsCreate.self, .init(name: "Root", currency: "EUR"))
        let payer = try await client.call(AccountsCreate.self, .init(name: "Payer", currency: "EUR", parentId: root.id))
        let user = try await client.call(
            AccountsCreate.self,
            .init(name: "User", currency: "EUR", parentId: root.id, subscriptionInvoicerId: payer.id))
        let elsewhere = try await client.call(AccountsCreate.self, .init(name: "Elsewhere", currency: "EUR"))
        let refused = await rpcFailure {
            try await client.call(AccountsSetParent.self, .init(id: user.id, parentId: elsewhere.id))
        }
        #expect(refused?.reason == "not_in_hierarchy")
        let payerRefused = await rpcFailure {
            try await client.call(AccountsSetParent.self, .init(id: payer.id, parentId: nil))
        }
        #expect(payerRefused?.reason == "not_in_hierarchy")
        let withinHierarchy = try await client.call(AccountsSetParent.self, .init(id: user.id, parentId: payer.id))
        #expect(withinHierarchy.effective.subscriptionInvoicerId == payer.id)
        await client.close()
        try await server.stop()
    }

    @Test func idempotentCreateUpsertAndVersions() async throws {
        let server = try await RunningServer.start()
        let (client, _) = try await server.tenantClient()
        let input = AccountInput(name: "Once", currency: "JPY", idempotencyKey: "create-once")
        let first = try await client.call(AccountsCreate.self, input)
        let again = try await client.call(AccountsCreate.self, input)
        #expect(first == again)
        var other = input
        other.name = "Twice"
        let reused = await rpcFailure { try await client.call(AccountsCreate.self, other) }
        #expect(reused?.code == -32004)
        let listed = try await client.call(AccountsList.self, .init(limit: 1000))
        #expect(listed.items.filter { $0.name == "Once" }.count == 1)

        let pushed = AccountInput(name: "Synced", currency: "EUR", externalId: "sf-001", paymentTermsDays: 20)
        let created = try await client.call(AccountsUpsert.self, pushed)
        #expect(created.created)
        var changed = pushed
        changed.name = "Synced Ltd"
        let updated = try await client.call(AccountsUpsert.self, changed)
        #expect(!updated.created)
        #expect(updated.account.id == created.account.id)
        #expect(updated.account.name == "Synced Ltd" && updated.account.version == 2)
        #expect(try await client.call(AccountsUpsert.self, changed).account.version == 2)

        var stale = AccountsUpdate.Params(id: created.account.id, expectedVersion: 1)
        stale.name = "Late"
        let conflict = await rpcFailure { try await client.call(AccountsUpdate.self, stale) }
        #expect(conflict?.code == -32004)
        stale.expectedVersion = 2
        var clearTerms = stale
        clearTerms.paymentTermsDays = .set(nil)
        let current = try await client.call(AccountsUpdate.self, clearTerms)
        #expect(current.name == "Late" && current.version == 3 && current.paymentTermsDays == nil)
        #expect(current.effective.paymentTermsDays == 30)
        let duplicate = await rpcFailure {
            try await client.call(AccountsCreate.self, .init(name: "Dup", currency: "EUR", externalId: "sf-001"))
        }
        #expect(duplicate?.code == -32004)
        await client.close()
        try await server.stop()
    }

    @Test func tenThousandAccountsResolveFromOneQuery() async throws {
        let server = try await RunningServer.start()
        let (client, created) = try await server.tenantClient()
        let root = try await client.call(
            AccountsCreate.self, .init(name: "Big root", currency: "EUR", paymentTermsDays: 7))
        let rootID = try #require(Int64(root.id))
        try await BillingActivity.bulkHierarchy(under: rootID, count: 9_999, tenantID: created.tenant.id)
        let tree = try await client.call(AccountsHierarchy.self, .init(id: root.id))
        var count = 0
        var deepest = 0
        func walk(_ node: AccountTreeNode, depth: Int) {
            count += 1
            deepest = max(deepest, depth)
            #expect(
                node.account.effective.paymentTermsDays == 7 && node.account.effective.subscriptionInvoicerId == root.id
            )
        }
        var stack = [(tree.root, 1)]
        while let (node, depth) = stack.popLast() {
            walk(node, depth: depth)
            stack.append(contentsOf: node.children.map { ($0, depth + 1) })
        }
        #expect(count == 10_000)
        #expect(deepest == 14)
        await client.close()
        try await server.stop()
    }

    @Test func eventsRecordEveryChange() async throws {
        let server = try await RunningServer.start()
        let (client, created) = try await server.tenantClient()
        let root = try await client.call(AccountsCreate.self, .init(name: "Evented", currency: "EUR"))
        let child = try await client.call(AccountsCreate.self, .init(name: "Kid", currency: "EUR", parentId: root.id))
        var rename = AccountsUpdate.Params(id: child.id)
        rename.name = "Kid 2"
        _ = try await client.call(AccountsUpdate.self, rename)
        _ = try await client.call(AccountsSetParent.self, .init(id: child.id, parentId: nil))
        _ = try await client.call(AccountsClose.self, .init(id: child.id))
        let types = try await BillingActivity.eventTypes(tenantID: created.tenant.id)
        #expect(
            types == [
                "tenant.created", "api_key.created", "account.created", "account.created", "account.updated",
                "account.moved", "account.closed",
            ])
        await client.close()
        try await server.stop()
    }
}

/// Direct database steps for states the protocol cannot reach yet (invoiced transactions arrive with
/// invoice runs) or would make slow (10,000 accounts), done as the schema owner.
enum BillingActivity {
    static func mark(accountID: String, tenantID: String) async throws {
        try await owner { connection in
            try await connection.execute(
                "UPDATE accounts SET billing_activity_at = now() WHERE tenant_id = \(tenantID)::bigint AND id = \(accountID)::bigint"
            )
        }
    }

    /// A binary tree of `count` accounts under `rootID` (depth 14 for 10,000), inserted in one statement.
    static func bulkHierarchy(under rootID: Int64, count: Int, tenantID: String) async throws {
        try await owner { connection in
            try await connection.execute(
                """
                WITH numbered AS (
                    SELECT n, nextval(pg_get_serial_sequence('accounts', 'id')) AS id
                    FROM generate_series(2, \(count + 1)) AS n
                )
                INSERT INTO accounts (tenant_id, id, name, currency, parent_id, root_id)
                OVERRIDING SYSTEM VALUE
                SELECT \(tenantID)::bigint, child.id, 'bulk ' || child.n, 'EUR', coalesce(parent.id, \(rootID)), \(rootID)
                FROM numbered child LEFT JOIN numbered parent ON parent.n = child.n / 2
                """
            )
        }
    }

    /// Marks billing transactions invoiced, as an invoice run will.
    static func invoice(transactionIDs: [String]) async throws {
        try await owner { connection in
            try await connection.execute(
                "UPDATE billing_transactions SET status = 'invoiced' WHERE id = ANY(\(transactionIDs.compactMap { Int64($0) })::bigint[])"
            )
        }
    }

    static func eventTypes(tenantID: String) async throws -> [String] {
        try await owner { connection in
            try await connection.query("SELECT type FROM events WHERE tenant_id = \(tenantID)::bigint ORDER BY seq")
                .map { try $0.decode("type", as: String.self) }
        }
    }

    @discardableResult
    private static func owner<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let database = try await TestDatabase.shared
        return try await PostgresPool.using(.init(url: database.ownerURL(), maxConnections: 1)) { pool in
            try await pool.withConnection(body)
        }
    }
}
