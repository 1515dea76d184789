import BillingCore
import BillingProtocol
import BillingStore

/// Billing processes: how order items bill.
public struct BillingProcessService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func create(_ params: BillingProcessesCreate.Params, tenant: TenantID) async throws -> BillingProcess {
        let process = try Self.validate(params)
        return try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: BillingProcessesCreate.name, key: params.idempotencyKey, params: params, in: transaction
            ) {
                let wire = try Self.wire(try await BillingProcessRepository(transaction).insert(process))
                try await EventOutbox(transaction).append(
                    .wire("billing_process.created", entity: "billing_process", id: wire.id, wire))
                return wire
            }
        }
    }

    public func get(_ reference: ObjectReference, tenant: TenantID) async throws -> BillingProcess {
        try await store.inTenant(tenant) { transaction in
            let processes = BillingProcessRepository(transaction)
            return try Self.wire(
                try await reference.resolve(
                    "billing process", byID: { try await processes.find(id: $0) },
                    byExternalID: { try await processes.find(externalID: $0) }))
        }
    }

    public func list(_ params: PageRequest, tenant: TenantID) async throws -> Page<BillingProcess> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant) { transaction in
            let records = try await BillingProcessRepository(transaction).list(after: after, limit: limit + 1)
            let items = try records.prefix(limit).map(Self.wire)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    /// Each kind takes its own settings: recurring a frequency (and optionally a billing day),
    /// usage a frequency and billing in arrears, installments a plan summing to 100%.
    static func validate(_ params: BillingProcessesCreate.Params) throws -> NewBillingProcess {
        let kind = try FieldRules.oneOf(
            params.kind, ["recurring", "one_time", "installments", "usage"], field: "kind", reason: "invalid_kind")
        func notFor(_ field: String) -> ValidationFailure {
            ValidationFailure(reason: "invalid_process", field: field, message: "a \(kind) process has no \(field)")
        }
        var frequency: BillingFrequency?
        if kind == "recurring" || kind == "usage" {
            let text = params.frequency ?? (kind == "usage" ? "monthly" : nil)
            guard let text else {
                throw ValidationFailure(
                    reason: "missing_frequency", field: "frequency", message: "a recurring process needs a frequency")
            }
            guard let value = BillingFrequency(rawValue: text) else {
                throw ValidationFailure(
                    reason: "invalid_frequency", field: "frequency",
                    message: "frequency is one of monthly, quarterly, semiannual, annual")
            }
            frequency = value
        } else if params.frequency != nil {
            throw notFor("frequency")
        }
        var timing = BillingTiming.advance
        if let text = params.timing {
            guard kind == "recurring" || kind == "usage" else { throw notFor("timing") }
            guard let value = BillingTiming(rawValue: text) else {
                throw ValidationFailure(
                    reason: "invalid_timing", field: "timing", message: "timing is advance or arrears")
            }
            timing = value
        }
        if kind == "usage" {
            guard params.timing == nil || timing == .arrears else {
                throw ValidationFailure(
                    reason: "invalid_timing", field: "timing", message: "usage is billed in arrears")
            }
            timing = .arrears
        }
        if params.billingDay != nil, kind != "recurring" { throw notFor("billing_day") }
        let creditPolicy = try FieldRules.oneOf(
            params.creditPolicy ?? "prorate", ["prorate", "none"], field: "credit_policy",
            reason: "invalid_credit_policy")
        var plan: String?
        if kind == "installments" {
            guard let steps = params.plan else {
                throw ValidationFailure(
                    reason: "missing_plan", field: "plan", message: "an installments process needs a plan")
            }
            try validate(steps)
            plan = String(decoding: try WireCoding.encode(steps), as: UTF8.self)
        } else if params.plan != nil {
            throw notFor("plan")
        }
        var aggregation: UsageAggregation?
        if kind == "usage" {
            aggregation = try UsageAggregation(
                rawValue: FieldRules.oneOf(
                    params.aggregation ?? "sum", UsageAggregation.allCases.map(\.rawValue), field: "aggregation",
                    reason: "invalid_aggregation"))
        } else if params.aggregation != nil {
            throw notFor("aggregation")
        }
        return NewBillingProcess(
            externalID: try FieldRules.externalID(params.externalId),
            name: try FieldRules.name(params.name, field: "name"),
            kind: kind, frequency: frequency, timing: timing,
            billingDay: try FieldRules.billingDay(params.billingDay), creditPolicy: creditPolicy, plan: plan,
            aggregation: aggregation)
    }

    /// Every step is due in exactly one way, and the percentages sum to exactly 100.
    private static func validate(_ steps: [PlanStep]) throws {
        for (index, step) in steps.enumerated() {
            let field = "plan[\(index)]"
            let ways = [step.offsetDays != nil, step.offsetMonths != nil, step.milestone != nil].filter { $0 }.count
            guard ways == 1 else {
                throw ValidationFailure(
                    reason: "invalid_plan", field: field,
                    message: "each step gives exactly one of offset_days, offset_months, milestone")
            }
            if let days = step.offsetDays, !(0...3660).contains(days) {
                throw ValidationFailure(
                    reason: "invalid_plan", field: "\(field).offset_days", message: "offset_days is 0–3660")
            }
            if let months = step.offsetMonths, !(0...120).contains(months) {
                throw ValidationFailure(
                    reason: "invalid_plan", field: "\(field).offset_months", message: "offset_months is 0–120")
            }
            if let milestone = step.milestone { _ = try FieldRules.label(milestone, field: "\(field).milestone") }
        }
        try InstallmentPlan.validate(steps.map(\.percent))
    }

    static func wire(_ record: BillingProcessRecord) throws -> BillingProcess {
        BillingProcess(
            id: String(record.id), externalId: record.externalID, name: record.name, kind: record.kind,
            frequency: record.frequency?.rawValue, timing: record.timing.rawValue, billingDay: record.billingDay,
            creditPolicy: record.creditPolicy,
            plan: record.plan == nil ? nil : try ItemBiller.planSteps(of: record),
            aggregation: record.kind == "usage" ? (record.aggregation ?? .sum).rawValue : nil, version: record.version,
            createdAt: record.createdAt, updatedAt: record.updatedAt)
    }
}
