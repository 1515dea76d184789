/// Runs invoicing every day, week or month at a time of day in the tenant's time zone.
public struct InvoiceScheduler: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    /// daily | weekly | monthly
    public let cadence: String
    /// weekly: ISO day of week, 1 = Monday.
    public let weekday: Int?
    /// monthly: day of month, the last day of shorter months for 29–31.
    public let monthDay: Int?
    /// HH:MM in the tenant's time zone.
    public let time: String
    /// The run's target date is the day it fires plus this many days (negative: before).
    public let targetOffsetDays: Int
    public let autoPost: Bool
    /// Only invoicers of this bill group.
    public let billGroup: String?
    /// How many jobs share each run it starts (`invoice_runs.start`'s `partitions`).
    public let partitions: Int
    public let enabled: Bool
    public let nextRunAt: String
    public let lastRunAt: String?

    public init(
        id: String, name: String, cadence: String, weekday: Int?, monthDay: Int?, time: String, targetOffsetDays: Int,
        autoPost: Bool, billGroup: String?, enabled: Bool, nextRunAt: String, lastRunAt: String?, partitions: Int = 1
    ) {
        self.partitions = partitions
        self.id = id
        self.name = name
        self.cadence = cadence
        self.weekday = weekday
        self.monthDay = monthDay
        self.time = time
        self.targetOffsetDays = targetOffsetDays
        self.autoPost = autoPost
        self.billGroup = billGroup
        self.enabled = enabled
        self.nextRunAt = nextRunAt
        self.lastRunAt = lastRunAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, cadence, weekday, time, enabled, partitions
        case monthDay = "month_day"
        case targetOffsetDays = "target_offset_days"
        case autoPost = "auto_post"
        case billGroup = "bill_group"
        case nextRunAt = "next_run_at"
        case lastRunAt = "last_run_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(cadence, forKey: .cadence)
        try container.encode(weekday, forKey: .weekday)
        try container.encode(monthDay, forKey: .monthDay)
        try container.encode(time, forKey: .time)
        try container.encode(targetOffsetDays, forKey: .targetOffsetDays)
        try container.encode(autoPost, forKey: .autoPost)
        try container.encode(billGroup, forKey: .billGroup)
        try container.encode(partitions, forKey: .partitions)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(nextRunAt, forKey: .nextRunAt)
        try container.encode(lastRunAt, forKey: .lastRunAt)
    }
}

/// What `invoice_schedulers.create` takes, and `invoice_schedulers.update` (all optional but `id`).
public struct InvoiceSchedulerInput: Codable, Sendable, Equatable {
    public var name: String?
    public var cadence: String?
    public var weekday: Int?
    public var monthDay: Int?
    public var time: String?
    public var targetOffsetDays: Int?
    public var autoPost: Bool?
    public var billGroup: String?
    public var partitions: Int?
    public var enabled: Bool?

    public init(
        name: String? = nil, cadence: String? = nil, weekday: Int? = nil, monthDay: Int? = nil, time: String? = nil,
        targetOffsetDays: Int? = nil, autoPost: Bool? = nil, billGroup: String? = nil, partitions: Int? = nil,
        enabled: Bool? = nil
    ) {
        self.partitions = partitions
        self.name = name
        self.cadence = cadence
        self.weekday = weekday
        self.monthDay = monthDay
        self.time = time
        self.targetOffsetDays = targetOffsetDays
        self.autoPost = autoPost
        self.billGroup = billGroup
        self.enabled = enabled
    }

    enum CodingKeys: String, CodingKey {
        case name, cadence, weekday, time, enabled, partitions
        case monthDay = "month_day"
        case targetOffsetDays = "target_offset_days"
        case autoPost = "auto_post"
        case billGroup = "bill_group"
    }
}

/// `invoice_schedulers.create {name, cadence, weekday?, month_day?, time, target_offset_days?,
/// auto_post?, bill_group?, partitions?}`.
public enum InvoiceSchedulersCreate: RPCMethod {
    public static let name = "invoice_schedulers.create"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = InvoiceSchedulerInput
    public typealias Result = InvoiceScheduler
}

/// `invoice_schedulers.list` in creation order.
public enum InvoiceSchedulersList: RPCMethod {
    public static let name = "invoice_schedulers.list"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = PageRequest
    public typealias Result = Page<InvoiceScheduler>
}

/// `invoice_schedulers.update {id, …}`: the fields given change; a new cadence or time moves the
/// next run.
public enum InvoiceSchedulersUpdate: RPCMethod {
    public static let name = "invoice_schedulers.update"
    public static let access = MethodAccess.tenantOnly
    public typealias Result = InvoiceScheduler

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var name: String?
        public var cadence: String?
        public var weekday: Int?
        public var monthDay: Int?
        public var time: String?
        public var targetOffsetDays: Int?
        public var autoPost: Bool?
        public var billGroup: String?
        public var partitions: Int?
        public var enabled: Bool?

        public init(id: String, changes: InvoiceSchedulerInput = InvoiceSchedulerInput()) {
            self.id = id
            name = changes.name
            cadence = changes.cadence
            weekday = changes.weekday
            monthDay = changes.monthDay
            time = changes.time
            targetOffsetDays = changes.targetOffsetDays
            autoPost = changes.autoPost
            billGroup = changes.billGroup
            partitions = changes.partitions
            enabled = changes.enabled
        }

        /// The fields to change.
        public var changes: InvoiceSchedulerInput {
            InvoiceSchedulerInput(
                name: name, cadence: cadence, weekday: weekday, monthDay: monthDay, time: time,
                targetOffsetDays: targetOffsetDays, autoPost: autoPost, billGroup: billGroup, partitions: partitions,
                enabled: enabled)
        }

        enum CodingKeys: String, CodingKey {
            case id, name, cadence, weekday, time, enabled, partitions
            case monthDay = "month_day"
            case targetOffsetDays = "target_offset_days"
            case autoPost = "auto_post"
            case billGroup = "bill_group"
        }
    }
}

/// `invoice_schedulers.delete {id}`: no more runs; runs it started stay.
public enum InvoiceSchedulersDelete: RPCMethod {
    public static let name = "invoice_schedulers.delete"
    public static let access = MethodAccess.tenantOnly
    public typealias Params = IdentifiedBy

    public struct Result: Codable, Sendable, Equatable {
        public let id: String
        public let deleted: Bool

        public init(id: String, deleted: Bool) {
            self.id = id
            self.deleted = deleted
        }
    }
}
