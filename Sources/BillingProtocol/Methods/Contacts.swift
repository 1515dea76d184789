/// A contact's link to one account, with the roles it has there.
public struct ContactLink: Codable, Sendable, Equatable {
    public var accountId: String
    /// Any of billing, shipping, primary; an account has at most one billing contact.
    public var roles: [String]?

    public init(accountId: String, roles: [String]? = nil) {
        self.accountId = accountId
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey {
        case roles
        case accountId = "account_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(roles ?? [], forKey: .roles)
    }
}

/// A person at a customer, shareable between accounts.
public struct Contact: Codable, Sendable, Equatable {
    public let id: String
    public let externalId: String?
    public let name: String
    public let email: String?
    public let phone: String?
    public let accounts: [ContactLink]
    public let version: Int
    public let createdAt: String
    public let updatedAt: String

    public init(
        id: String, externalId: String?, name: String, email: String?, phone: String?, accounts: [ContactLink],
        version: Int, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.externalId = externalId
        self.name = name
        self.email = email
        self.phone = phone
        self.accounts = accounts
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email, phone, accounts, version
        case externalId = "external_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(externalId, forKey: .externalId)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(phone, forKey: .phone)
        try container.encode(accounts, forKey: .accounts)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// What `contacts.create` and `contacts.upsert` take.
public struct ContactInput: Codable, Sendable, Equatable {
    public var name: String
    public var email: String?
    public var phone: String?
    public var externalId: String?
    /// Accounts to link the new contact to (create), or its exact links (upsert).
    public var accounts: [ContactLink]?
    public var idempotencyKey: String?

    public init(
        name: String, email: String? = nil, phone: String? = nil, externalId: String? = nil,
        accounts: [ContactLink]? = nil, idempotencyKey: String? = nil
    ) {
        self.name = name
        self.email = email
        self.phone = phone
        self.externalId = externalId
        self.accounts = accounts
        self.idempotencyKey = idempotencyKey
    }

    enum CodingKeys: String, CodingKey {
        case name, email, phone, accounts
        case externalId = "external_id"
        case idempotencyKey = "idempotency_key"
    }
}

/// `contacts.create`.
public enum ContactsCreate: RPCMethod {
    public static let name = "contacts.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ContactInput
    public typealias Result = Contact
}

/// `contacts.upsert` by `external_id`.
public enum ContactsUpsert: RPCMethod {
    public static let name = "contacts.upsert"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ContactInput

    public struct Result: Codable, Sendable, Equatable {
        public let contact: Contact
        public let created: Bool

        public init(contact: Contact, created: Bool) {
            self.contact = contact
            self.created = created
        }
    }
}

/// `contacts.get` by `id` or `external_id`.
public enum ContactsGet: RPCMethod {
    public static let name = "contacts.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ObjectReference
    public typealias Result = Contact
}

/// `contacts.update`: only the fields given change; `null` clears email or phone.
public enum ContactsUpdate: RPCMethod {
    public static let name = "contacts.update"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Contact

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var expectedVersion: Int?
        public var name: String?
        public var email: FieldUpdate<String> = .unchanged
        public var phone: FieldUpdate<String> = .unchanged
        public var externalId: FieldUpdate<String> = .unchanged

        public init(id: String, expectedVersion: Int? = nil) {
            self.id = id
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case id, name, email, phone
            case expectedVersion = "expected_version"
            case externalId = "external_id"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            expectedVersion = try container.decodeIfPresent(Int.self, forKey: .expectedVersion)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            email = try container.decodeUpdate(String.self, forKey: .email)
            phone = try container.decodeUpdate(String.self, forKey: .phone)
            externalId = try container.decodeUpdate(String.self, forKey: .externalId)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(expectedVersion, forKey: .expectedVersion)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encode(email, forKey: .email)
            try container.encode(phone, forKey: .phone)
            try container.encode(externalId, forKey: .externalId)
        }
    }
}

/// `contacts.list`, optionally the contacts of one account.
public enum ContactsList: RPCMethod {
    public static let name = "contacts.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Contact>

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String?
        public var limit: Int?
        public var cursor: String?

        public init(accountId: String? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.accountId = accountId
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case limit, cursor
            case accountId = "account_id"
        }
    }
}

/// `contacts.link`: links a contact to an account with these roles (replacing its roles there).
/// Taking the billing role moves it from the account's previous billing contact.
public enum ContactsLink: RPCMethod {
    public static let name = "contacts.link"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Contact

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var accountId: String
        public var roles: [String]?

        public init(id: String, accountId: String, roles: [String]? = nil) {
            self.id = id
            self.accountId = accountId
            self.roles = roles
        }

        enum CodingKeys: String, CodingKey {
            case id, roles
            case accountId = "account_id"
        }
    }
}

/// `contacts.unlink`: removes a contact from an account.
public enum ContactsUnlink: RPCMethod {
    public static let name = "contacts.unlink"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Contact

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var accountId: String

        public init(id: String, accountId: String) {
            self.id = id
            self.accountId = accountId
        }

        enum CodingKeys: String, CodingKey {
            case id
            case accountId = "account_id"
        }
    }
}
