import BillingCore
import Postgres

/// A billing process as stored.
public struct BillingProcessRecord: Sendable, Equatable {
    public var id: Int64
    public var externalID: String?
    public var name: String
    /// recurring | one_time | installments | usage
    public var kind: String
    public var frequency: BillingFrequency?
    public var timing: BillingTiming
    public var billingDay: Int?
    /// prorate | none
    public var creditPolicy: String
    /// JSON array text of the plan's steps, installments only.
    public var plan: String?
    /// How a usage process aggregates a period's events; sum when not set.
    public var aggregation: UsageAggregation?
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    static let columns = """
        id, external_id, name, kind, frequency, timing, billing_day, credit_policy, plan::text AS plan, aggregation,
        version,
        rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        externalID = try row.decode("external_id")
        name = try row.decode("name")
        kind = try row.decode("kind")
        frequency = try row.decode("frequency", as: String?.self).flatMap(BillingFrequency.init(rawValue:))
        timing = BillingTiming(rawValue: try row.decode("timing")) ?? .advance
        billingDay = try row.decode("billing_day")
        creditPolicy = try row.decode("credit_policy")
        plan = try row.decode("plan")
        aggregation = try row.decode("aggregation", as: String?.self).flatMap(UsageAggregation.init(rawValue:))
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}

/// A billing process to store.
public struct NewBillingProcess: Sendable, Equatable {
    public var externalID: String?
    public var name: String
    public var kind: String
    public var frequency: BillingFrequency?
    public var timing: BillingTiming
    public var billingDay: Int?
    public var creditPolicy: String
    public var plan: String?
    public var aggregation: UsageAggregation?

    public init(
        externalID: String?, name: String, kind: String, frequency: BillingFrequency?, timing: BillingTiming,
        billingDay: Int?, creditPolicy: String, plan: String?, aggregation: UsageAggregation? = nil
    ) {
        self.externalID = externalID
        self.name = name
        self.kind = kind
        self.frequency = frequency
        self.timing = timing
        self.billingDay = billingDay
        self.creditPolicy = creditPolicy
        self.plan = plan
        self.aggregation = aggregation
    }
}
