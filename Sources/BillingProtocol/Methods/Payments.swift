import BillingCore

/// What a payment or a credit note paid of one invoice.
public struct AllocationInput: Codable, Sendable, Equatable {
    public var invoiceId: String
    public var amount: Decimal6

    public init(invoiceId: String, amount: Decimal6) {
        self.invoiceId = invoiceId
        self.amount = amount
    }

    enum CodingKeys: String, CodingKey {
        case amount
        case invoiceId = "invoice_id"
    }
}

/// An allocation as stored: to which invoice, how much, on which day.
public struct PaymentAllocation: Codable, Sendable, Equatable {
    public let invoiceId: String
    public let amount: String
    public let allocatedOn: CalendarDate

    public init(invoiceId: String, amount: String, allocatedOn: CalendarDate) {
        self.invoiceId = invoiceId
        self.amount = amount
        self.allocatedOn = allocatedOn
    }

    enum CodingKeys: String, CodingKey {
        case amount
        case invoiceId = "invoice_id"
        case allocatedOn = "allocated_on"
    }
}

/// Money given back of a payment.
public struct PaymentRefund: Codable, Sendable, Equatable {
    public let id: String
    public let amount: String
    public let refundedOn: CalendarDate
    public let reference: String?

    public init(id: String, amount: String, refundedOn: CalendarDate, reference: String?) {
        self.id = id
        self.amount = amount
        self.refundedOn = refundedOn
        self.reference = reference
    }

    enum CodingKeys: String, CodingKey {
        case id, amount, reference
        case refundedOn = "refunded_on"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(amount, forKey: .amount)
        try container.encode(refundedOn, forKey: .refundedOn)
        try container.encode(reference, forKey: .reference)
    }
}

/// Money an account paid, and where it went: invoices it was allocated to, refunds, the rest
/// unallocated.
public struct Payment: Codable, Sendable, Equatable {
    public let id: String
    public let accountId: String
    public let currency: String
    public let amount: String
    /// bank_transfer | card | direct_debit | check | cash | other
    public let method: String
    public let reference: String?
    public let receivedOn: CalendarDate
    public let allocated: String
    public let refunded: String
    /// amount − allocated − refunded: what can still be allocated or refunded.
    public let unallocated: String
    /// unapplied | partially_applied | applied | refunded
    public let status: String
    public let allocations: [PaymentAllocation]
    public let refunds: [PaymentRefund]
    public let version: Int
    public let createdAt: String
    public let updatedAt: String

    public init(
        id: String, accountId: String, currency: String, amount: String, method: String, reference: String?,
        receivedOn: CalendarDate, allocated: String, refunded: String, unallocated: String, status: String,
        allocations: [PaymentAllocation], refunds: [PaymentRefund], version: Int, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.accountId = accountId
        self.currency = currency
        self.amount = amount
        self.method = method
        self.reference = reference
        self.receivedOn = receivedOn
        self.allocated = allocated
        self.refunded = refunded
        self.unallocated = unallocated
        self.status = status
        self.allocations = allocations
        self.refunds = refunds
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, currency, amount, method, reference, allocated, refunded, unallocated, status, allocations, refunds
        case version
        case accountId = "account_id"
        case receivedOn = "received_on"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(currency, forKey: .currency)
        try container.encode(amount, forKey: .amount)
        try container.encode(method, forKey: .method)
        try container.encode(reference, forKey: .reference)
        try container.encode(receivedOn, forKey: .receivedOn)
        try container.encode(allocated, forKey: .allocated)
        try container.encode(refunded, forKey: .refunded)
        try container.encode(unallocated, forKey: .unallocated)
        try container.encode(status, forKey: .status)
        try container.encode(allocations, forKey: .allocations)
        try container.encode(refunds, forKey: .refunds)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `payments.record`.
public enum PaymentsRecord: RPCMethod {
    public static let name = "payments.record"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Payment

    public struct Params: Codable, Sendable, Equatable {
        public var accountId: String
        public var amount: Decimal6
        /// The account's currency when omitted.
        public var currency: String?
        public var method: String
        /// The bank's or provider's reference.
        public var reference: String?
        /// The tenant's today when omitted.
        public var receivedOn: CalendarDate?
        public var idempotencyKey: String?

        public init(
            accountId: String, amount: Decimal6, currency: String? = nil, method: String, reference: String? = nil,
            receivedOn: CalendarDate? = nil, idempotencyKey: String? = nil
        ) {
            self.accountId = accountId
            self.amount = amount
            self.currency = currency
            self.method = method
            self.reference = reference
            self.receivedOn = receivedOn
            self.idempotencyKey = idempotencyKey
        }

        enum CodingKeys: String, CodingKey {
            case amount, currency, method, reference
            case accountId = "account_id"
            case receivedOn = "received_on"
            case idempotencyKey = "idempotency_key"
        }
    }
}

/// `payments.get`.
public enum PaymentsGet: RPCMethod {
    public static let name = "payments.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy
    public typealias Result = Payment
}

/// `payments.list`, optionally of one account.
public enum PaymentsList: RPCMethod {
    public static let name = "payments.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Page<Payment>

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

/// `payments.allocate`: pays invoices from a payment's unallocated amount, all or none.
public enum PaymentsAllocate: RPCMethod {
    public static let name = "payments.allocate"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Payment

    public struct Params: Codable, Sendable, Equatable {
        public var paymentId: String
        public var allocations: [AllocationInput]
        /// The tenant's today when omitted.
        public var allocatedOn: CalendarDate?

        public init(paymentId: String, allocations: [AllocationInput], allocatedOn: CalendarDate? = nil) {
            self.paymentId = paymentId
            self.allocations = allocations
            self.allocatedOn = allocatedOn
        }

        enum CodingKeys: String, CodingKey {
            case allocations
            case paymentId = "payment_id"
            case allocatedOn = "allocated_on"
        }
    }
}

/// `payments.unallocate`: takes back what a payment paid of one invoice.
public enum PaymentsUnallocate: RPCMethod {
    public static let name = "payments.unallocate"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Payment

    public struct Params: Codable, Sendable, Equatable {
        public var paymentId: String
        public var invoiceId: String

        public init(paymentId: String, invoiceId: String) {
            self.paymentId = paymentId
            self.invoiceId = invoiceId
        }

        enum CodingKeys: String, CodingKey {
            case paymentId = "payment_id"
            case invoiceId = "invoice_id"
        }
    }
}

/// `payments.refund`: gives back part of a payment's unallocated amount.
public enum PaymentsRefund: RPCMethod {
    public static let name = "payments.refund"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Payment

    public struct Params: Codable, Sendable, Equatable {
        public var paymentId: String
        public var amount: Decimal6
        /// The tenant's today when omitted.
        public var refundedOn: CalendarDate?
        public var reference: String?

        public init(paymentId: String, amount: Decimal6, refundedOn: CalendarDate? = nil, reference: String? = nil) {
            self.paymentId = paymentId
            self.amount = amount
            self.refundedOn = refundedOn
            self.reference = reference
        }

        enum CodingKeys: String, CodingKey {
            case amount, reference
            case paymentId = "payment_id"
            case refundedOn = "refunded_on"
        }
    }
}

/// `credit_notes.allocate`: pays invoices from a credit note's credit not applied yet.
public enum CreditNotesAllocate: RPCMethod {
    public static let name = "credit_notes.allocate"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = Invoice

    public struct Params: Codable, Sendable, Equatable {
        public var creditNoteId: String
        public var allocations: [AllocationInput]
        public var allocatedOn: CalendarDate?

        public init(creditNoteId: String, allocations: [AllocationInput], allocatedOn: CalendarDate? = nil) {
            self.creditNoteId = creditNoteId
            self.allocations = allocations
            self.allocatedOn = allocatedOn
        }

        enum CodingKeys: String, CodingKey {
            case allocations
            case creditNoteId = "credit_note_id"
            case allocatedOn = "allocated_on"
        }
    }
}
