import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Accounts and their hierarchies (BILLING.md §10): every change is one transaction that checks
/// the hierarchy rules, writes, and appends its event.
public struct AccountService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func create(_ input: AccountInput, tenant: TenantID) async throws -> Account {
        let fields = try AccountFields.validate(input)
        return try await changingAccounts(tenant) { transaction in
            try await Idempotency.run(
                method: AccountsCreate.name, key: input.idempotencyKey, params: input, in: transaction
            ) {
                try await insert(fields, parentID: input.parentId, in: transaction)
            }
        }
    }

    /// Creates the account with this `external_id`, or brings the existing one to exactly `input`
    /// (absent settings go back to inheriting; a different parent moves it).
    public func upsert(_ input: AccountInput, tenant: TenantID) async throws -> AccountsUpsert.Result {
        guard let externalID = input.externalId else {
            throw RPCError(.invalidParams, "accounts.upsert needs external_id", fields: ["external_id (missing)"])
        }
        let fields = try AccountFields.validate(input)
        return try await changingAccounts(tenant) { transaction in
            let accounts = AccountRepository(transaction)
            guard var existing = try await accounts.find(externalID: externalID, forUpdate: true) else {
                return .init(
                    account: try await insert(fields, parentID: input.parentId, in: transaction), created: true)
            }
            let wantedParent = try input.parentId.map { try AccountFields.id($0, field: "parent_id") }
            if wantedParent != existing.parentID {
                existing = try await move(existing, to: wantedParent, currency: fields.currency, in: transaction)
            }
            var replaced = fields
            replaced.status = existing.status
            let updated = try await write(replaced, over: existing, in: transaction)
            return .init(account: updated, created: false)
        }
    }

    public func get(_ reference: ObjectReference, tenant: TenantID) async throws -> Account {
        // The chain alone finds the account (its last element), so a read is one statement, sent
        // with its transaction's BEGIN and COMMIT in one round trip.
        try await store.inTenant(tenant, oneStatement: true) { transaction in
            let accounts = AccountRepository(transaction)
            let (record, chain) = try await reference.resolve(
                "account",
                byID: { id in
                    let chain = try await accounts.chain(endingAt: id)
                    return chain.last.map { ($0, chain) }
                },
                byExternalID: { externalID in
                    let chain = try await accounts.chain(endingAtExternalID: externalID)
                    return chain.last.map { ($0, chain) }
                })
            return Self.wire(record, effective: HierarchyResolution.effective(alongChain: chain.map(\.node)))
        }
    }

    public func update(_ params: AccountsUpdate.Params, tenant: TenantID) async throws -> Account {
        try await changingAccounts(tenant) { transaction in
            let accounts = AccountRepository(transaction)
            let current = try await Self.existing(params.id, field: "id", accounts, forUpdate: true)
            try Self.checkVersion(params.expectedVersion, current)
            let fields = try AccountFields.apply(params, to: current)
            return try await write(fields, over: current, in: transaction)
        }
    }

    public func setParent(_ params: AccountsSetParent.Params, tenant: TenantID) async throws -> Account {
        try await changingAccounts(tenant) { transaction in
            let accounts = AccountRepository(transaction)
            let account = try await Self.existing(params.id, field: "id", accounts, forUpdate: true)
            try Self.checkVersion(params.expectedVersion, account)
            let parentID = try params.parentId.map { try AccountFields.id($0, field: "parent_id") }
            let moved = try await move(account, to: parentID, currency: account.currency, in: transaction)
            return try await Self.wire(moved, accounts)
        }
    }

    public func close(_ params: AccountsClose.Params, tenant: TenantID) async throws -> Account {
        try await changingAccounts(tenant) { transaction in
            let accounts = AccountRepository(transaction)
            let account = try await Self.existing(params.id, field: "id", accounts, forUpdate: true)
            try Self.checkVersion(params.expectedVersion, account)
            guard account.status != "closed" else { return try await Self.wire(account, accounts) }
            if try await accounts.hasOpenChildren(account.id) {
                throw ValidationFailure(
                    reason: "has_active_children",
                    field: "id",
                    message: "account \(account.id) has accounts under it that are not closed; close or move them first"
                )
            }
            if try await OrderRepository(transaction).hasActiveItems(accountID: account.id) {
                throw ValidationFailure(
                    reason: "has_active_orders", field: "id",
                    message: "account \(account.id) has active order items; terminate them first")
            }
            var fields = AccountFields.current(account)
            fields.status = "closed"
            guard let closed = try await accounts.update(id: account.id, fields: fields, version: account.version)
            else {
                throw Self.stale(account)
            }
            let wire = try await Self.wire(closed, accounts)
            try await EventOutbox(transaction).append(try Self.event("account.closed", wire))
            return wire
        }
    }

    public func list(_ params: AccountsList.Params, tenant: TenantID) async throws -> Page<Account> {
        let limit = try Paging.limit(params.limit)
        let parentID = try params.parentId.map { try AccountFields.id($0, field: "parent_id") }
        let rootID = try params.rootId.map { try AccountFields.id($0, field: "root_id") }
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let accounts = AccountRepository(transaction)
            for (id, field) in [(params.parentId, "parent_id"), (params.rootId, "root_id")] {
                if let id { _ = try await Self.existing(id, field: field, accounts) }
            }
            let records = try await accounts.list(parentID: parentID, rootID: rootID, after: after, limit: limit + 1)
            let page = Array(records.prefix(limit))
            let members = try await accounts.hierarchies(rootIDs: Array(Set(page.map(\.rootID))))
            let effective = HierarchyResolution.effective(ofTree: members.map(\.node))
            let items = page.map { Self.wire($0, effective: effective[$0.id]) }
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func hierarchy(_ params: AccountsHierarchy.Params, tenant: TenantID) async throws -> AccountsHierarchy.Result
    {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let accounts = AccountRepository(transaction)
            let account = try await Self.existing(params.id, field: "id", accounts)
            let members = try await accounts.hierarchies(rootIDs: [account.rootID])
            let effective = HierarchyResolution.effective(ofTree: members.map(\.node))
            var children: [Int64: [AccountRecord]] = [:]
            for member in members { if let parent = member.parentID { children[parent, default: []].append(member) } }
            func node(_ record: AccountRecord) -> AccountTreeNode {
                AccountTreeNode(
                    account: Self.wire(record, effective: effective[record.id]),
                    children: (children[record.id] ?? []).map(node)
                )
            }
            guard let root = members.first(where: { $0.id == account.rootID }) else {
                throw RPCError(.notFound, "no account \(params.id)")
            }
            return .init(root: node(root))
        }
    }

    // MARK: - Shared steps

    /// A transaction that changes accounts: the tenant's account lock comes first, before any row
    /// lock, so the hierarchy rules are checked against a hierarchy nobody else is changing.
    private func changingAccounts<T>(
        _ tenant: TenantID, _ body: (TenantTransaction) async throws -> T
    )
        async throws -> T
    {
        try await store.inTenant(tenant) { transaction in
            try await AccountRepository(transaction).lockHierarchies()
            return try await body(transaction)
        }
    }

    private func insert(
        _ fields: AccountRepository.Fields, parentID: String?, in transaction: TenantTransaction
    )
        async throws -> Account
    {
        let accounts = AccountRepository(transaction)
        var parent: AccountRecord?
        if let parentID {
            let found = try await Self.existing(parentID, field: "parent_id", accounts)
            try Self.checkCanHoldChild(found, currency: fields.currency)
            parent = found
        }
        try await Self.checkNamedAccounts(fields.settings, of: nil, inHierarchy: parent?.rootID, accounts)
        let record = try await accounts.insert(fields, parent: parent)
        let wire = try await Self.wire(record, accounts)
        try await EventOutbox(transaction).append(try Self.event("account.created", wire))
        return wire
    }

    private func write(
        _ fields: AccountRepository.Fields, over current: AccountRecord, in transaction: TenantTransaction
    )
        async throws -> Account
    {
        let accounts = AccountRepository(transaction)
        if fields.currency != current.currency {
            try await checkCurrencyChange(current, to: fields.currency, accounts)
        }
        if fields.status != current.status, current.status == "closed", let parentID = current.parentID,
            let parent = try await accounts.find(id: parentID), parent.status == "closed"
        {
            throw ValidationFailure(reason: "parent_closed", field: "status", message: "the parent account is closed")
        }
        try await Self.checkNamedAccounts(fields.settings, of: current.id, inHierarchy: current.rootID, accounts)
        guard fields != AccountFields.current(current) else { return try await Self.wire(current, accounts) }
        guard let updated = try await accounts.update(id: current.id, fields: fields, version: current.version) else {
            throw Self.stale(current)
        }
        let wire = try await Self.wire(updated, accounts)
        try await EventOutbox(transaction).append(try Self.event("account.updated", wire))
        return wire
    }

    private func checkCurrencyChange(
        _ account: AccountRecord, to currency: String, _ accounts: AccountRepository
    )
        async throws
    {
        if account.hasBillingActivity {
            throw ValidationFailure(
                reason: "currency_locked",
                field: "currency",
                message: "account \(account.id) has billing activity; its currency can no longer change"
            )
        }
        if let parentID = account.parentID, let parent = try await accounts.find(id: parentID),
            parent.currency != currency
        {
            throw Self.currencyMismatch(parent, currency)
        }
        if try await accounts.subtreeIDs(of: account.id).count > 1 {
            throw ValidationFailure(
                reason: "currency_mismatch",
                field: "currency",
                message: "accounts under \(account.id) bill in \(account.currency); a child has its parent's currency"
            )
        }
    }

    /// Moves `account` (and its subtree) under `parentID`, or to the top when nil; the new parent
    /// must bill in `currency` (the account's, or the one an upsert is about to give it).
    private func move(
        _ account: AccountRecord,
        to parentID: Int64?,
        currency: String,
        in transaction: TenantTransaction
    ) async throws -> AccountRecord {
        guard parentID != account.parentID else { return account }
        let accounts = AccountRepository(transaction)
        let subtree = try await accounts.subtreeIDs(of: account.id)
        var parent: AccountRecord?
        if let parentID {
            guard !subtree.contains(parentID) else {
                throw ValidationFailure(
                    reason: "hierarchy_cycle",
                    field: "parent_id",
                    message: "account \(parentID) is \(account.id) itself or below it; that would make a cycle"
                )
            }
            let found = try await Self.existing(String(parentID), field: "parent_id", accounts)
            try Self.checkCanHoldChild(found, currency: currency)
            parent = found
        }
        let newRoot = parent?.rootID ?? account.id
        if newRoot != account.rootID {
            if try await accounts.find(ids: subtree).contains(where: \.hasBillingActivity) {
                throw ValidationFailure(
                    reason: "hierarchy_locked",
                    field: "parent_id",
                    message: "account \(account.id) has billing activity; it can only move within its hierarchy"
                )
            }
            let broken = try await accounts.crossReferences(subtree: subtree, rootID: account.rootID)
            guard broken.isEmpty else {
                throw ValidationFailure(
                    reason: "not_in_hierarchy",
                    field: "parent_id",
                    message: "accounts \(broken.map(String.init).joined(separator: ", ")) name an invoicer, usage "
                        + "recipient or tax account on the other side of this move; change them first"
                )
            }
        }
        let moved = try await accounts.move(account, under: parent)
        let data = MovedEvent(
            id: String(account.id),
            fromParentId: account.parentID.map(String.init),
            toParentId: parentID.map(String.init),
            rootId: String(newRoot),
            movedAccountIds: subtree.sorted().map(String.init)
        )
        try await EventOutbox(transaction).append(
            .wire("account.moved", entity: "account", id: String(account.id), data)
        )
        return moved
    }

    // MARK: - Rules and conversions

    private static func checkCanHoldChild(_ parent: AccountRecord, currency: String) throws {
        guard parent.status != "closed" else {
            throw ValidationFailure(
                reason: "parent_closed", field: "parent_id", message: "account \(parent.id) is closed")
        }
        guard parent.currency == currency else { throw currencyMismatch(parent, currency) }
    }

    private static func currencyMismatch(_ parent: AccountRecord, _ currency: String) -> ValidationFailure {
        ValidationFailure(
            reason: "currency_mismatch",
            field: "currency",
            message:
                "the parent account \(parent.id) bills in \(parent.currency), not \(currency); a child has its parent's currency"
        )
    }

    /// The invoicer, usage recipient and tax account must be the account itself or one of its hierarchy.
    private static func checkNamedAccounts(
        _ settings: HierarchySettings,
        of accountID: Int64?,
        inHierarchy rootID: Int64?,
        _ accounts: AccountRepository
    ) async throws {
        let named: [(field: String, id: Int64?)] = [
            ("subscription_invoicer_id", settings.subscriptionInvoicerID),
            ("usage_invoice_recipient_id", settings.usageInvoiceRecipientID),
            ("tax_account_id", settings.taxAccountID),
        ]
        let others = named.compactMap { entry in entry.id.flatMap { $0 == accountID ? nil : (entry.field, $0) } }
        guard !others.isEmpty else { return }
        let found = Dictionary(
            uniqueKeysWithValues: try await accounts.find(ids: others.map(\.1)).map { ($0.id, $0) }
        )
        for (field, id) in others {
            guard let account = found[id] else { throw RPCError(.notFound, "no account \(id) (\(field))") }
            guard account.rootID == rootID else {
                throw ValidationFailure(
                    reason: "not_in_hierarchy",
                    field: field,
                    message: "\(field) must be the account itself or an account of its hierarchy; \(id) is not"
                )
            }
        }
    }

    private static func checkVersion(_ expected: Int?, _ account: AccountRecord) throws {
        if let expected, expected != account.version { throw stale(account) }
    }

    private static func stale(_ account: AccountRecord) -> RPCError {
        RPCError(.conflict, "account \(account.id) is at version \(account.version); reload it and retry")
    }

    static func existing(
        _ id: String, field: String, _ accounts: AccountRepository, forUpdate: Bool = false
    )
        async throws -> AccountRecord
    {
        guard let number = Int64(id), let record = try await accounts.find(id: number, forUpdate: forUpdate) else {
            throw RPCError(.notFound, field == "id" ? "no account \(id)" : "no account \(id) (\(field))")
        }
        return record
    }

    /// The wire form of one account, resolving its effective settings along its chain (one query).
    static func wire(_ record: AccountRecord, _ accounts: AccountRepository) async throws -> Account {
        let chain = try await accounts.chain(endingAt: record.id)
        return wire(record, effective: HierarchyResolution.effective(alongChain: chain.map(\.node)))
    }

    static func wire(_ record: AccountRecord, effective: EffectiveSettings?) -> Account {
        let resolved = effective ?? HierarchyResolution.effective(of: record.id, own: record.settings, parent: nil)
        return Account(
            id: String(record.id),
            externalId: record.externalID,
            name: record.name,
            currency: record.currency,
            parentId: record.parentID.map(String.init),
            rootId: String(record.rootID),
            status: record.status,
            billingDay: record.settings.billingDay,
            paymentTermsDays: record.settings.paymentTermsDays,
            billGroup: record.settings.billGroup,
            subscriptionInvoicerId: record.settings.subscriptionInvoicerID.map(String.init),
            usageInvoiceRecipientId: record.settings.usageInvoiceRecipientID.map(String.init),
            taxAccountId: record.settings.taxAccountID.map(String.init),
            tax: AccountTax(
                country: record.taxCountry,
                vatNumber: record.taxVATNumber,
                exempt: record.taxExempt,
                exemptionReason: record.taxExemptionReason
            ),
            address: record.address.flatMap { try? JSONDecoder().decode(Address.self, from: Data($0.utf8)) },
            timezone: record.timezone,
            billingContactId: record.billingContactID.map(String.init),
            effective: EffectiveAccountSettings(
                subscriptionInvoicerId: String(resolved.subscriptionInvoicerID),
                usageInvoiceRecipientId: String(resolved.usageInvoiceRecipientID),
                taxAccountId: String(resolved.taxAccountID),
                paymentTermsDays: resolved.paymentTermsDays,
                billGroup: resolved.billGroup,
                billingDay: resolved.billingDay
            ),
            version: record.version,
            createdAt: record.createdAt,
            updatedAt: record.updatedAt
        )
    }

    private static func event(_ type: String, _ account: Account) throws -> NewEvent {
        try .wire(type, entity: "account", id: account.id, account)
    }
}

/// What `account.moved` tells partners: the moved account, where it went, and every account whose
/// hierarchy changed with it (each of them has a new version).
private struct MovedEvent: Encodable {
    let id: String
    let fromParentId: String?
    let toParentId: String?
    let rootId: String
    let movedAccountIds: [String]

    enum CodingKeys: String, CodingKey {
        case id
        case fromParentId = "from_parent_id"
        case toParentId = "to_parent_id"
        case rootId = "root_id"
        case movedAccountIds = "moved_account_ids"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(fromParentId, forKey: .fromParentId)
        try container.encode(toParentId, forKey: .toParentId)
        try container.encode(rootId, forKey: .rootId)
        try container.encode(movedAccountIds, forKey: .movedAccountIds)
    }
}
