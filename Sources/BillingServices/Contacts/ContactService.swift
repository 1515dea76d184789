import BillingCore
import BillingProtocol
import BillingStore

/// Contacts, shared between accounts, each link with the contact's roles on that account.
public struct ContactService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func create(_ input: ContactInput, tenant: TenantID) async throws -> Contact {
        let fields = try Self.validate(input)
        let links = try Self.validLinks(input.accounts ?? [])
        return try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: ContactsCreate.name, key: input.idempotencyKey, params: input, in: transaction
            ) {
                let contacts = ContactRepository(transaction)
                try await Self.lockLinks(of: links, in: transaction)
                let record = try await contacts.insert(fields)
                try await Self.setLinks(of: record.id, to: links, in: transaction)
                let contact = try await Self.wire(record, contacts)
                try await Self.record("contact.created", contact, in: transaction)
                return contact
            }
        }
    }

    /// Creates the contact with this `external_id`, or brings the existing one to exactly `input`,
    /// links included.
    public func upsert(_ input: ContactInput, tenant: TenantID) async throws -> ContactsUpsert.Result {
        guard let externalID = input.externalId else {
            throw RPCError(.invalidParams, "contacts.upsert needs external_id", fields: ["external_id (missing)"])
        }
        let fields = try Self.validate(input)
        let links = try Self.validLinks(input.accounts ?? [])
        return try await store.inTenant(tenant) { transaction in
            let contacts = ContactRepository(transaction)
            try await transaction.lock("contact:" + externalID)
            var linkedNow: [ContactLink] = []
            if let current = try await contacts.find(externalID: externalID) {
                linkedNow = try await contacts.links(of: [current.id]).map {
                    ContactLink(accountId: String($0.accountID))
                }
            }
            try await Self.lockLinks(of: links + linkedNow, in: transaction)
            guard let existing = try await contacts.find(externalID: externalID, forUpdate: true) else {
                let record = try await contacts.insert(fields)
                try await Self.setLinks(of: record.id, to: links, in: transaction)
                let contact = try await Self.wire(record, contacts)
                try await Self.record("contact.created", contact, in: transaction)
                return .init(contact: contact, created: true)
            }
            let before = try await Self.wire(existing, contacts)
            var record = existing
            if fields != Self.fields(existing) {
                guard
                    let updated = try await contacts.update(id: existing.id, fields: fields, version: existing.version)
                else {
                    throw Self.stale(existing)
                }
                record = updated
            }
            try await Self.setLinks(of: record.id, to: links, in: transaction)
            var contact = try await Self.wire(record, contacts)
            if contact.accounts != before.accounts, record.version == existing.version {
                contact = try await Self.wire(try await contacts.touch(id: record.id), contacts)
            }
            if contact != before { try await Self.record("contact.updated", contact, in: transaction) }
            return .init(contact: contact, created: false)
        }
    }

    public func get(_ reference: ObjectReference, tenant: TenantID) async throws -> Contact {
        try await store.inTenant(tenant) { transaction in
            let contacts = ContactRepository(transaction)
            let record = try await reference.resolve(
                "contact", byID: { try await contacts.find(id: $0) },
                byExternalID: { try await contacts.find(externalID: $0) })
            return try await Self.wire(record, contacts)
        }
    }

    public func update(_ params: ContactsUpdate.Params, tenant: TenantID) async throws -> Contact {
        try await store.inTenant(tenant) { transaction in
            let contacts = ContactRepository(transaction)
            let current = try await Self.existing(params.id, contacts, forUpdate: true)
            if let expected = params.expectedVersion, expected != current.version { throw Self.stale(current) }
            var fields = Self.fields(current)
            if let name = params.name { fields.name = try FieldRules.name(name, field: "name") }
            if case .set(let email) = params.email { fields.email = try FieldRules.email(email) }
            if case .set(let phone) = params.phone { fields.phone = try FieldRules.phone(phone) }
            if case .set(let externalID) = params.externalId {
                fields.externalID = try FieldRules.externalID(externalID)
            }
            guard fields != Self.fields(current) else { return try await Self.wire(current, contacts) }
            guard let updated = try await contacts.update(id: current.id, fields: fields, version: current.version)
            else {
                throw Self.stale(current)
            }
            let contact = try await Self.wire(updated, contacts)
            try await Self.record("contact.updated", contact, in: transaction)
            return contact
        }
    }

    public func list(_ params: ContactsList.Params, tenant: TenantID) async throws -> Page<Contact> {
        let limit = try Paging.limit(params.limit)
        let accountID = try params.accountId.map { try AccountFields.id($0, field: "account_id") }
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant) { transaction in
            if let id = params.accountId {
                _ = try await AccountService.existing(id, field: "account_id", AccountRepository(transaction))
            }
            let contacts = ContactRepository(transaction)
            let records = try await contacts.list(accountID: accountID, after: after, limit: limit + 1)
            let page = Array(records.prefix(limit))
            let links = Dictionary(grouping: try await contacts.links(of: page.map(\.id)), by: \.contactID)
            let items = page.map { Self.wire($0, links: links[$0.id] ?? []) }
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func link(_ params: ContactsLink.Params, tenant: TenantID) async throws -> Contact {
        let roles = try FieldRules.contactRoles(params.roles)
        return try await store.inTenant(tenant) { transaction in
            let contacts = ContactRepository(transaction)
            let account = try await AccountService.existing(
                params.accountId, field: "account_id", AccountRepository(transaction))
            try await contacts.lockLinks(ofAccount: account.id)
            let contact = try await Self.existing(params.id, contacts, forUpdate: true)
            let before = try await Self.wire(contact, contacts)
            guard !before.accounts.contains(ContactLink(accountId: String(account.id), roles: roles)) else {
                return before
            }
            try await Self.link(contact.id, to: account.id, roles: roles, in: transaction)
            let linked = try await Self.wire(try await contacts.touch(id: contact.id), contacts)
            try await Self.record("contact.linked", linked, in: transaction)
            return linked
        }
    }

    public func unlink(_ params: ContactsUnlink.Params, tenant: TenantID) async throws -> Contact {
        try await store.inTenant(tenant) { transaction in
            let contacts = ContactRepository(transaction)
            let accountID = try AccountFields.id(params.accountId, field: "account_id")
            try await contacts.lockLinks(ofAccount: accountID)
            let contact = try await Self.existing(params.id, contacts, forUpdate: true)
            guard try await Self.unlink(contact.id, from: accountID, in: transaction) else {
                throw RPCError(.notFound, "contact \(contact.id) is not linked to account \(accountID)")
            }
            let unlinked = try await Self.wire(try await contacts.touch(id: contact.id), contacts)
            try await Self.record("contact.unlinked", unlinked, in: transaction)
            return unlinked
        }
    }

    // MARK: - Steps and rules

    /// Makes the contact's links exactly `links` (unlinking the others).
    private static func setLinks(
        of contactID: Int64, to links: [ContactLink], in transaction: TenantTransaction
    )
        async throws
    {
        let contacts = ContactRepository(transaction)
        let accounts = AccountRepository(transaction)
        let wanted = Set(try links.map { try AccountFields.id($0.accountId, field: "accounts.account_id") })
        for existing in try await contacts.links(of: [contactID]) where !wanted.contains(existing.accountID) {
            _ = try await unlink(contactID, from: existing.accountID, in: transaction)
        }
        for link in links {
            let account = try await AccountService.existing(link.accountId, field: "accounts.account_id", accounts)
            try await Self.link(contactID, to: account.id, roles: link.roles ?? [], in: transaction)
        }
    }

    /// Links, recording the changes it causes elsewhere: the contact that lost the billing role,
    /// and the account whose billing contact changed.
    private static func link(
        _ contactID: Int64, to accountID: Int64, roles: [String], in transaction: TenantTransaction
    )
        async throws
    {
        let contacts = ContactRepository(transaction)
        let billingBefore = try await AccountRepository(transaction).find(id: accountID)?.billingContactID
        if let previous = try await contacts.link(contactID: contactID, accountID: accountID, roles: roles) {
            let demoted = try await wire(try await contacts.touch(id: previous), contacts)
            try await record("contact.updated", demoted, in: transaction)
        }
        try await recordBillingContactChange(of: accountID, from: billingBefore, in: transaction)
    }

    /// Unlinks (false when there was no link), recording a change of the account's billing contact.
    private static func unlink(
        _ contactID: Int64, from accountID: Int64, in transaction: TenantTransaction
    )
        async throws -> Bool
    {
        let billingBefore = try await AccountRepository(transaction).find(id: accountID)?.billingContactID
        guard try await ContactRepository(transaction).unlink(contactID: contactID, accountID: accountID) else {
            return false
        }
        try await recordBillingContactChange(of: accountID, from: billingBefore, in: transaction)
        return true
    }

    /// The billing contact is part of the account: when it changed, the account gets a new version
    /// and an `account.updated` event.
    private static func recordBillingContactChange(
        of accountID: Int64,
        from before: Int64?,
        in transaction: TenantTransaction
    ) async throws {
        let accounts = AccountRepository(transaction)
        guard let current = try await accounts.find(id: accountID), current.billingContactID != before else { return }
        let account = try await AccountService.wire(try await accounts.touch(id: accountID), accounts)
        try await EventOutbox(transaction).append(.wire("account.updated", entity: "account", id: account.id, account))
    }

    /// Takes the link locks of these accounts (the ones a request links and the ones it unlinks) in
    /// id order, before any contact row, so that two requests on overlapping accounts cannot wait
    /// on each other.
    private static func lockLinks(of links: [ContactLink], in transaction: TenantTransaction) async throws {
        let contacts = ContactRepository(transaction)
        for accountID in Set(links.compactMap { Int64($0.accountId) }).sorted() {
            try await contacts.lockLinks(ofAccount: accountID)
        }
    }

    private static func validate(_ input: ContactInput) throws -> ContactRepository.Fields {
        ContactRepository.Fields(
            externalID: try FieldRules.externalID(input.externalId),
            name: try FieldRules.name(input.name, field: "name"),
            email: try FieldRules.email(input.email),
            phone: try FieldRules.phone(input.phone)
        )
    }

    private static func validLinks(_ links: [ContactLink]) throws -> [ContactLink] {
        guard Set(links.map(\.accountId)).count == links.count else {
            throw ValidationFailure(reason: "duplicate_link", field: "accounts", message: "an account is listed twice")
        }
        return try links.map {
            ContactLink(accountId: $0.accountId, roles: try FieldRules.contactRoles($0.roles, field: "accounts.roles"))
        }
    }

    private static func fields(_ record: ContactRecord) -> ContactRepository.Fields {
        ContactRepository.Fields(
            externalID: record.externalID, name: record.name, email: record.email, phone: record.phone)
    }

    private static func existing(
        _ id: String, _ contacts: ContactRepository, forUpdate: Bool = false
    ) async throws
        -> ContactRecord
    {
        guard let number = Int64(id), let record = try await contacts.find(id: number, forUpdate: forUpdate) else {
            throw RPCError(.notFound, "no contact \(id)")
        }
        return record
    }

    private static func stale(_ contact: ContactRecord) -> RPCError {
        RPCError(.conflict, "contact \(contact.id) is at version \(contact.version); reload it and retry")
    }

    private static func wire(_ record: ContactRecord, _ contacts: ContactRepository) async throws -> Contact {
        wire(record, links: try await contacts.links(of: [record.id]))
    }

    private static func wire(_ record: ContactRecord, links: [ContactLinkRecord]) -> Contact {
        Contact(
            id: String(record.id),
            externalId: record.externalID,
            name: record.name,
            email: record.email,
            phone: record.phone,
            accounts: links.map { ContactLink(accountId: String($0.accountID), roles: $0.roles) },
            version: record.version,
            createdAt: record.createdAt,
            updatedAt: record.updatedAt
        )
    }

    private static func record(_ type: String, _ contact: Contact, in transaction: TenantTransaction) async throws {
        try await EventOutbox(transaction).append(.wire(type, entity: "contact", id: contact.id, contact))
    }
}
