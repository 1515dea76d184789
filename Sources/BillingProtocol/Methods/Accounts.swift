/// Whose tax profile applies to an account (BILLING.md §8).
public struct AccountTax: Codable, Sendable, Equatable {
    public var country: String?
    public var vatNumber: String?
    public var exempt: Bool?
    public var exemptionReason: String?

    public init(country: String? = nil, vatNumber: String? = nil, exempt: Bool? = nil, exemptionReason: String? = nil) {
        self.country = country
        self.vatNumber = vatNumber
        self.exempt = exempt
        self.exemptionReason = exemptionReason
    }

    enum CodingKeys: String, CodingKey {
        case country, exempt
        case vatNumber = "vat_number"
        case exemptionReason = "exemption_reason"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(country, forKey: .country)
        try container.encode(vatNumber, forKey: .vatNumber)
        try container.encode(exempt ?? false, forKey: .exempt)
        try container.encode(exemptionReason, forKey: .exemptionReason)
    }
}

/// A postal address.
public struct Address: Codable, Sendable, Equatable {
    public var line1: String
    public var line2: String?
    public var city: String
    public var postalCode: String
    /// ISO 3166-1 alpha-2.
    public var country: String

    public init(line1: String, line2: String? = nil, city: String, postalCode: String, country: String) {
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.postalCode = postalCode
        self.country = country
    }

    enum CodingKeys: String, CodingKey {
        case line1, line2, city, country
        case postalCode = "postal_code"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(line1, forKey: .line1)
        try container.encode(line2, forKey: .line2)
        try container.encode(city, forKey: .city)
        try container.encode(postalCode, forKey: .postalCode)
        try container.encode(country, forKey: .country)
    }
}

/// The settings that apply to an account after inheritance.
public struct EffectiveAccountSettings: Codable, Sendable, Equatable {
    public let subscriptionInvoicerId: String
    public let usageInvoiceRecipientId: String
    public let taxAccountId: String
    public let paymentTermsDays: Int
    public let billGroup: String?
    public let billingDay: Int?

    public init(
        subscriptionInvoicerId: String,
        usageInvoiceRecipientId: String,
        taxAccountId: String,
        paymentTermsDays: Int,
        billGroup: String?,
        billingDay: Int?
    ) {
        self.subscriptionInvoicerId = subscriptionInvoicerId
        self.usageInvoiceRecipientId = usageInvoiceRecipientId
        self.taxAccountId = taxAccountId
        self.paymentTermsDays = paymentTermsDays
        self.billGroup = billGroup
        self.billingDay = billingDay
    }

    enum CodingKeys: String, CodingKey {
        case subscriptionInvoicerId = "subscription_invoicer_id"
        case usageInvoiceRecipientId = "usage_invoice_recipient_id"
        case taxAccountId = "tax_account_id"
        case paymentTermsDays = "payment_terms_days"
        case billGroup = "bill_group"
        case billingDay = "billing_day"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subscriptionInvoicerId, forKey: .subscriptionInvoicerId)
        try container.encode(usageInvoiceRecipientId, forKey: .usageInvoiceRecipientId)
        try container.encode(taxAccountId, forKey: .taxAccountId)
        try container.encode(paymentTermsDays, forKey: .paymentTermsDays)
        try container.encode(billGroup, forKey: .billGroup)
        try container.encode(billingDay, forKey: .billingDay)
    }
}

/// A customer account: settings as set (null = inherit) and as they apply (`effective`).
public struct Account: Codable, Sendable, Equatable {
    public let id: String
    public let externalId: String?
    public let name: String
    public let currency: String
    public let parentId: String?
    public let rootId: String
    public let status: String
    public let billingDay: Int?
    public let paymentTermsDays: Int?
    public let billGroup: String?
    public let subscriptionInvoicerId: String?
    public let usageInvoiceRecipientId: String?
    public let taxAccountId: String?
    public let tax: AccountTax
    public let address: Address?
    public let timezone: String?
    public let billingContactId: String?
    public let effective: EffectiveAccountSettings
    public let version: Int
    public let createdAt: String
    public let updatedAt: String

    public init(
        id: String, externalId: String?, name: String, currency: String, parentId: String?, rootId: String,
        status: String, billingDay: Int?, paymentTermsDays: Int?, billGroup: String?,
        subscriptionInvoicerId: String?, usageInvoiceRecipientId: String?, taxAccountId: String?,
        tax: AccountTax, address: Address?, timezone: String?, billingContactId: String?,
        effective: EffectiveAccountSettings,
        version: Int, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.externalId = externalId
        self.name = name
        self.currency = currency
        self.parentId = parentId
        self.rootId = rootId
        self.status = status
        self.billingDay = billingDay
        self.paymentTermsDays = paymentTermsDays
        self.billGroup = billGroup
        self.subscriptionInvoicerId = subscriptionInvoicerId
        self.usageInvoiceRecipientId = usageInvoiceRecipientId
        self.taxAccountId = taxAccountId
        self.tax = tax
        self.address = address
        self.timezone = timezone
        self.billingContactId = billingContactId
        self.effective = effective
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, currency, status, tax, address, timezone, effective, version
        case externalId = "external_id"
        case parentId = "parent_id"
        case rootId = "root_id"
        case billingDay = "billing_day"
        case paymentTermsDays = "payment_terms_days"
        case billGroup = "bill_group"
        case subscriptionInvoicerId = "subscription_invoicer_id"
        case usageInvoiceRecipientId = "usage_invoice_recipient_id"
        case taxAccountId = "tax_account_id"
        case billingContactId = "billing_contact_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(externalId, forKey: .externalId)
        try container.encode(name, forKey: .name)
        try container.encode(currency, forKey: .currency)
        try container.encode(parentId, forKey: .parentId)
        try container.encode(rootId, forKey: .rootId)
        try container.encode(status, forKey: .status)
        try container.encode(billingDay, forKey: .billingDay)
        try container.encode(paymentTermsDays, forKey: .paymentTermsDays)
        try container.encode(billGroup, forKey: .billGroup)
        try container.encode(subscriptionInvoicerId, forKey: .subscriptionInvoicerId)
        try container.encode(usageInvoiceRecipientId, forKey: .usageInvoiceRecipientId)
        try container.encode(taxAccountId, forKey: .taxAccountId)
        try container.encode(tax, forKey: .tax)
        try container.encode(address, forKey: .address)
        try container.encode(timezone, forKey: .timezone)
        try container.encode(billingContactId, forKey: .billingContactId)
        try container.encode(effective, forKey: .effective)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// What `accounts.create` and `accounts.upsert` take.
public struct AccountInput: Codable, Sendable, Equatable {
    public var name: String
    public var currency: String
    public var externalId: String?
    public var parentId: String?
    public var billingDay: Int?
    public var paymentTermsDays: Int?
    public var billGroup: String?
    public var subscriptionInvoicerId: String?
    public var usageInvoiceRecipientId: String?
    public var taxAccountId: String?
    public var tax: AccountTax?
    public var address: Address?
    public var timezone: String?
    public var idempotencyKey: String?

    public init(
        name: String, currency: String, externalId: String? = nil, parentId: String? = nil,
        billingDay: Int? = nil, paymentTermsDays: Int? = nil, billGroup: String? = nil,
        subscriptionInvoicerId: String? = nil, usageInvoiceRecipientId: String? = nil, taxAccountId: String? = nil,
        tax: AccountTax? = nil, address: Address? = nil, timezone: String? = nil, idempotencyKey: String? = nil
    ) {
        self.name = name
        self.currency = currency
        self.externalId = externalId
        self.parentId = parentId
        self.billingDay = billingDay
        self.paymentTermsDays = paymentTermsDays
        self.billGroup = billGroup
        self.subscriptionInvoicerId = subscriptionInvoicerId
        self.usageInvoiceRecipientId = usageInvoiceRecipientId
        self.taxAccountId = taxAccountId
        self.tax = tax
        self.address = address
        self.timezone = timezone
        self.idempotencyKey = idempotencyKey
    }

    enum CodingKeys: String, CodingKey {
        case name, currency, tax, address, timezone
        case externalId = "external_id"
        case parentId = "parent_id"
        case billingDay = "billing_day"
        case paymentTermsDays = "payment_terms_days"
        case billGroup = "bill_group"
        case subscriptionInvoicerId = "subscription_invoicer_id"
        case usageInvoiceRecipientId = "usage_invoice_recipient_id"
        case taxAccountId = "tax_account_id"
        case idempotencyKey = "idempotency_key"
    }
}

/// `accounts.create`.
public enum AccountsCreate: RPCMethod {
    public static let name = "accounts.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = AccountInput
    public typealias Result = Account
}

/// `accounts.upsert`: create or update by `external_id` (required here).
public enum AccountsUpsert: RPCMethod {
    public static let name = "accounts.upsert"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = AccountInput

    public struct Result: Codable, Sendable, Equatable {
        public let account: Account
        public let created: Bool

        public init(account: Account, created: Bool) {
            self.account = account
            self.created = created
        }
    }
}

/// Names one object by `id` or by `external_id`.
public struct ObjectReference: Codable, Sendable, Equatable {
    public var id: String?
    public var externalId: String?

    public init(id: String? = nil, externalId: String? = nil) {
        self.id = id
        self.externalId = externalId
    }

    enum CodingKeys: String, CodingKey {
        case id
        case externalId = "external_id"
    }
}

/// `accounts.get` by `id` or `external_id`.
public enum AccountsGet: RPCMethod {
    public static let name = "accounts.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ObjectReference
    public typealias Result = Account
}

/// `accounts.update`: only the fields given change; `null` returns a setting to inheriting.
public enum AccountsUpdate: RPCMethod {
    public static let name = "accounts.update"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Account

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var expectedVersion: Int?
        public var name: String?
        public var currency: String?
        public var status: String?
        public var externalId: FieldUpdate<String> = .unchanged
        public var billingDay: FieldUpdate<Int> = .unchanged
        public var paymentTermsDays: FieldUpdate<Int> = .unchanged
        public var billGroup: FieldUpdate<String> = .unchanged
        public var subscriptionInvoicerId: FieldUpdate<String> = .unchanged
        public var usageInvoiceRecipientId: FieldUpdate<String> = .unchanged
        public var taxAccountId: FieldUpdate<String> = .unchanged
        public var tax: FieldUpdate<AccountTax> = .unchanged
        public var address: FieldUpdate<Address> = .unchanged
        public var timezone: FieldUpdate<String> = .unchanged

        public init(id: String, expectedVersion: Int? = nil) {
            self.id = id
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case id, name, currency, status, tax, address, timezone
            case expectedVersion = "expected_version"
            case externalId = "external_id"
            case billingDay = "billing_day"
            case paymentTermsDays = "payment_terms_days"
            case billGroup = "bill_group"
            case subscriptionInvoicerId = "subscription_invoicer_id"
            case usageInvoiceRecipientId = "usage_invoice_recipient_id"
            case taxAccountId = "tax_account_id"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            expectedVersion = try container.decodeIfPresent(Int.self, forKey: .expectedVersion)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            currency = try container.decodeIfPresent(String.self, forKey: .currency)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            externalId = try container.decodeUpdate(String.self, forKey: .externalId)
            billingDay = try container.decodeUpdate(Int.self, forKey: .billingDay)
            paymentTermsDays = try container.decodeUpdate(Int.self, forKey: .paymentTermsDays)
            billGroup = try container.decodeUpdate(String.self, forKey: .billGroup)
            subscriptionInvoicerId = try container.decodeUpdate(String.self, forKey: .subscriptionInvoicerId)
            usageInvoiceRecipientId = try container.decodeUpdate(String.self, forKey: .usageInvoiceRecipientId)
            taxAccountId = try container.decodeUpdate(String.self, forKey: .taxAccountId)
            tax = try container.decodeUpdate(AccountTax.self, forKey: .tax)
            address = try container.decodeUpdate(Address.self, forKey: .address)
            timezone = try container.decodeUpdate(String.self, forKey: .timezone)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(expectedVersion, forKey: .expectedVersion)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encodeIfPresent(currency, forKey: .currency)
            try container.encodeIfPresent(status, forKey: .status)
            try container.encode(externalId, forKey: .externalId)
            try container.encode(billingDay, forKey: .billingDay)
            try container.encode(paymentTermsDays, forKey: .paymentTermsDays)
            try container.encode(billGroup, forKey: .billGroup)
            try container.encode(subscriptionInvoicerId, forKey: .subscriptionInvoicerId)
            try container.encode(usageInvoiceRecipientId, forKey: .usageInvoiceRecipientId)
            try container.encode(taxAccountId, forKey: .taxAccountId)
            try container.encode(tax, forKey: .tax)
            try container.encode(address, forKey: .address)
            try container.encode(timezone, forKey: .timezone)
        }
    }
}

/// `accounts.list`, optionally the children of `parent_id` or a whole hierarchy by `root_id`.
public enum AccountsList: RPCMethod {
    public static let name = "accounts.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Account>

    public struct Params: Codable, Sendable, Equatable {
        public var parentId: String?
        public var rootId: String?
        public var limit: Int?
        public var cursor: String?

        public init(parentId: String? = nil, rootId: String? = nil, limit: Int? = nil, cursor: String? = nil) {
            self.parentId = parentId
            self.rootId = rootId
            self.limit = limit
            self.cursor = cursor
        }

        enum CodingKeys: String, CodingKey {
            case limit, cursor
            case parentId = "parent_id"
            case rootId = "root_id"
        }
    }
}

/// One account of a hierarchy with the accounts directly under it.
public struct AccountTreeNode: Codable, Sendable, Equatable {
    public let account: Account
    public let children: [AccountTreeNode]

    public init(account: Account, children: [AccountTreeNode]) {
        self.account = account
        self.children = children
    }
}

/// `accounts.hierarchy`: the whole tree under the root of `id`.
public enum AccountsHierarchy: RPCMethod {
    public static let name = "accounts.hierarchy"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var id: String

        public init(id: String) {
            self.id = id
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let root: AccountTreeNode

        public init(root: AccountTreeNode) {
            self.root = root
        }
    }
}

/// `accounts.set_parent`: moves an account, with its subtree, under another one (or to the top).
public enum AccountsSetParent: RPCMethod {
    public static let name = "accounts.set_parent"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Account

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        /// Required; `null` makes the account the root of its own hierarchy.
        public var parentId: String?
        public var expectedVersion: Int?

        public init(id: String, parentId: String?, expectedVersion: Int? = nil) {
            self.id = id
            self.parentId = parentId
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case id
            case parentId = "parent_id"
            case expectedVersion = "expected_version"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            guard case .set(let parent) = try container.decodeUpdate(String.self, forKey: .parentId) else {
                throw DecodingError.keyNotFound(
                    CodingKeys.parentId, .init(codingPath: container.codingPath, debugDescription: "missing"))
            }
            parentId = parent
            expectedVersion = try container.decodeIfPresent(Int.self, forKey: .expectedVersion)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(parentId, forKey: .parentId)
            try container.encodeIfPresent(expectedVersion, forKey: .expectedVersion)
        }
    }
}

/// `accounts.close`.
public enum AccountsClose: RPCMethod {
    public static let name = "accounts.close"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Account

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var expectedVersion: Int?

        public init(id: String, expectedVersion: Int? = nil) {
            self.id = id
            self.expectedVersion = expectedVersion
        }

        enum CodingKeys: String, CodingKey {
            case id
            case expectedVersion = "expected_version"
        }
    }
}
