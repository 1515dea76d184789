import BillingCore
import Postgres

/// A job schedule as stored, with the time zone of its tenant.
public struct ScheduleRecord: Sendable, Equatable {
    public var tenantID: TenantID
    public var id: Int64
    public var name: String
    public var jobKind: String
    /// JSON object text.
    public var payload: String
    /// daily | weekly | monthly
    public var cadence: String
    /// ISO day of week (1 = Monday), weekly schedules only.
    public var weekday: Int?
    /// Day of month, monthly schedules only.
    public var monthDay: Int?
    /// Seconds after local midnight.
    public var secondOfDay: Int
    /// Unix time of the next occurrence.
    public var nextRunAt: Int64
    /// Unix time of the occurrence it last fired for.
    public var lastOccurrenceAt: Int64?
    public var enabled: Bool
    public var timezone: String

    static let columns = """
        s.tenant_id, s.id, s.name, s.job_kind, s.payload::text AS payload, s.cadence, s.weekday, s.month_day,
        extract(epoch FROM s.time_of_day)::integer AS second_of_day,
        extract(epoch FROM s.next_run_at)::bigint AS next_run_at,
        extract(epoch FROM s.last_occurrence_at)::bigint AS last_occurrence_at, s.enabled, t.timezone
        """

    init(row: PostgresRow) throws {
        tenantID = TenantID(try row.decode("tenant_id", as: Int64.self))
        id = try row.decode("id")
        name = try row.decode("name")
        jobKind = try row.decode("job_kind")
        payload = try row.decode("payload")
        cadence = try row.decode("cadence")
        weekday = try row.decode("weekday")
        monthDay = try row.decode("month_day")
        secondOfDay = try row.decode("second_of_day")
        nextRunAt = try row.decode("next_run_at")
        lastOccurrenceAt = try row.decode("last_occurrence_at")
        enabled = try row.decode("enabled")
        timezone = try row.decode("timezone")
    }
}

/// A schedule to keep for a tenant.
public struct NewSchedule: Sendable, Equatable {
    public var name: String
    public var jobKind: String
    public var payload: String
    public var cadence: String
    public var weekday: Int?
    public var monthDay: Int?
    public var secondOfDay: Int
    /// Unix time the schedule is first due; nil: at once (it then fires for its latest occurrence).
    public var firstRunAt: Int64?

    public init(
        name: String, jobKind: String, payload: String = "{}", cadence: String, weekday: Int? = nil,
        monthDay: Int? = nil, secondOfDay: Int, firstRunAt: Int64? = nil
    ) {
        self.name = name
        self.jobKind = jobKind
        self.payload = payload
        self.cadence = cadence
        self.weekday = weekday
        self.monthDay = monthDay
        self.secondOfDay = secondOfDay
        self.firstRunAt = firstRunAt
    }
}
