import BillingCore

/// One installment of a billing process's payment plan: a percentage, due a number of days or
/// months after activation, or when a milestone is reached (exactly one of the three).
public struct PlanStep: Codable, Sendable, Equatable {
    public var percent: Decimal6
    public var offsetDays: Int?
    public var offsetMonths: Int?
    public var milestone: String?

    public init(percent: Decimal6, offsetDays: Int? = nil, offsetMonths: Int? = nil, milestone: String? = nil) {
        self.percent = percent
        self.offsetDays = offsetDays
        self.offsetMonths = offsetMonths
        self.milestone = milestone
    }

    enum CodingKeys: String, CodingKey {
        case percent, milestone
        case offsetDays = "offset_days"
        case offsetMonths = "offset_months"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(percent, forKey: .percent)
        try container.encode(offsetDays, forKey: .offsetDays)
        try container.encode(offsetMonths, forKey: .offsetMonths)
        try container.encode(milestone, forKey: .milestone)
    }
}

/// How an order item bills: recurring periods, once, by an installment plan, or by usage.
public struct BillingProcess: Codable, Sendable, Equatable {
    public let id: String
    public let externalId: String?
    public let name: String
    /// recurring | one_time | installments | usage
    public let kind: String
    public let frequency: String?
    /// advance | arrears
    public let timing: String
    public let billingDay: Int?
    /// prorate | none: whether terminating an item inside a billed period credits the unused days.
    public let creditPolicy: String
    public let plan: [PlanStep]?
    /// sum | count | max: how a usage process aggregates a period's events; null for other kinds.
    public let aggregation: String?
    public let version: Int
    public let createdAt: String
    public let updatedAt: String

    public init(
        id: String, externalId: String?, name: String, kind: String, frequency: String?, timing: String,
        billingDay: Int?, creditPolicy: String, plan: [PlanStep]?, aggregation: String? = nil, version: Int,
        createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.externalId = externalId
        self.name = name
        self.kind = kind
        self.frequency = frequency
        self.timing = timing
        self.billingDay = billingDay
        self.creditPolicy = creditPolicy
        self.plan = plan
        self.aggregation = aggregation
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, kind, frequency, timing, plan, aggregation, version
        case externalId = "external_id"
        case billingDay = "billing_day"
        case creditPolicy = "credit_policy"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(externalId, forKey: .externalId)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(frequency, forKey: .frequency)
        try container.encode(timing, forKey: .timing)
        try container.encode(billingDay, forKey: .billingDay)
        try container.encode(creditPolicy, forKey: .creditPolicy)
        try container.encode(plan, forKey: .plan)
        try container.encode(aggregation, forKey: .aggregation)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `billing_processes.create`.
public enum BillingProcessesCreate: RPCMethod {
    public static let name = "billing_processes.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = BillingProcess

    public struct Params: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var frequency: String?
        public var timing: String?
        public var billingDay: Int?
        public var creditPolicy: String?
        public var plan: [PlanStep]?
        /// Usage processes: sum (default), count or max.
        public var aggregation: String?
        public var externalId: String?
        public var idempotencyKey: String?

        public init(
            name: String, kind: String, frequency: String? = nil, timing: String? = nil, billingDay: Int? = nil,
            creditPolicy: String? = nil, plan: [PlanStep]? = nil, aggregation: String? = nil,
            externalId: String? = nil, idempotencyKey: String? = nil
        ) {
            self.name = name
            self.kind = kind
            self.frequency = frequency
            self.timing = timing
            self.billingDay = billingDay
            self.creditPolicy = creditPolicy
            self.plan = plan
            self.aggregation = aggregation
            self.externalId = externalId
            self.idempotencyKey = idempotencyKey
        }

        enum CodingKeys: String, CodingKey {
            case name, kind, frequency, timing, plan, aggregation
            case billingDay = "billing_day"
            case creditPolicy = "credit_policy"
            case externalId = "external_id"
            case idempotencyKey = "idempotency_key"
        }
    }
}

/// `billing_processes.get` by `id` or `external_id`.
public enum BillingProcessesGet: RPCMethod {
    public static let name = "billing_processes.get"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = ObjectReference
    public typealias Result = BillingProcess
}

/// `billing_processes.list` in creation order.
public enum BillingProcessesList: RPCMethod {
    public static let name = "billing_processes.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = PageRequest
    public typealias Result = Page<BillingProcess>
}
