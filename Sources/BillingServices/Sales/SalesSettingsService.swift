import BillingCore
import BillingProtocol
import BillingStore

/// Each tenant's sales settings: its stages, whether winning makes the order, renewals, quotes.
public struct SalesSettingsService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func get(tenant: TenantID) async throws -> SalesSettings {
        try await store.inTenant(tenant) { transaction in
            Self.wire(try await SalesSettingsRepository(transaction).current())
        }
    }

    public func update(_ params: SalesSettingsUpdate.Params, tenant: TenantID) async throws -> SalesSettings {
        try await store.inTenant(tenant) { transaction in
            let settings = SalesSettingsRepository(transaction)
            let current = try await settings.current(forUpdate: true)
            if let expected = params.expectedVersion, expected != current.version {
                throw RPCError(
                    .conflict, "the sales settings are at version \(current.version); reload them and retry")
            }
            var next = current
            if let stages = params.stages {
                next.stages = try Self.validStages(stages)
                let removed = current.stages.map(\.name).filter { next.stage(named: $0) == nil }
                if let (stage, count) = try await settings.opportunitiesIn(stages: removed).min(by: { $0.key < $1.key })
                {
                    throw ValidationFailure(
                        reason: "stage_in_use", field: "stages",
                        message: "\(count) opportunities are in stage \(stage); move them before removing it")
                }
            }
            if let value = params.createOrderOnWon { next.createOrderOnWon = value }
            if let days = params.renewalLeadDays {
                guard (0...366).contains(days) else {
                    throw ValidationFailure(
                        reason: "invalid_lead_days", field: "renewal_lead_days", message: "0 to 366 days")
                }
                next.renewalLeadDays = days
            }
            if let pricing = params.renewalPricing {
                next.renewalPricing = try FieldRules.oneOf(
                    pricing, ["same", "list", "uplift"], field: "renewal_pricing", reason: "invalid_renewal_pricing")
                if pricing != "uplift" { next.renewalUpliftPercent = nil }
            }
            if let percent = params.renewalUpliftPercent {
                guard percent >= .zero, percent <= Decimal6(1000), percent.scaled % 100 == 0 else {
                    throw ValidationFailure(
                        reason: "invalid_uplift", field: "renewal_uplift_percent",
                        message: "an uplift is 0 to 1000 percent, with at most four decimals")
                }
                next.renewalUpliftPercent = percent
            }
            guard (next.renewalPricing == "uplift") == (next.renewalUpliftPercent != nil) else {
                throw ValidationFailure(
                    reason: "invalid_uplift", field: "renewal_uplift_percent",
                    message: "uplift pricing needs renewal_uplift_percent, and only uplift pricing takes one")
            }
            if let value = params.renewalAutoQuote { next.renewalAutoQuote = value }
            if let days = params.quoteValidityDays {
                guard (1...366).contains(days) else {
                    throw ValidationFailure(
                        reason: "invalid_validity_days", field: "quote_validity_days", message: "1 to 366 days")
                }
                next.quoteValidityDays = days
            }
            guard next != current else { return Self.wire(current) }
            guard let saved = try await settings.save(next) else {
                throw RPCError(.conflict, "the sales settings changed meanwhile; read them again")
            }
            let wired = Self.wire(saved)
            try await EventOutbox(transaction).append(
                .wire("sales_settings.updated", entity: "sales_settings", id: "sales_settings", wired))
            return wired
        }
    }

    /// One won stage, at least one open and one lost; names unique, 1–200 characters.
    static func validStages(_ stages: [SalesStage]) throws -> [SalesSettingsRecord.Stage] {
        var names = Set<String>()
        let valid = try stages.enumerated().map { index, stage in
            let name = try FieldRules.name(stage.name, field: "stages[\(index)].name")
            guard names.insert(name).inserted else {
                throw ValidationFailure(
                    reason: "duplicate_stage", field: "stages[\(index)].name", message: "stage \(name) is named twice")
            }
            let outcome = try FieldRules.oneOf(
                stage.outcome, ["open", "won", "lost"], field: "stages[\(index)].outcome", reason: "invalid_outcome")
            return SalesSettingsRecord.Stage(name: name, outcome: outcome)
        }
        let outcomes = valid.map(\.outcome)
        guard outcomes.filter({ $0 == "won" }).count == 1, outcomes.contains("open"), outcomes.contains("lost") else {
            throw ValidationFailure(
                reason: "invalid_stages", field: "stages",
                message: "the stages need exactly one won stage, at least one open and at least one lost")
        }
        return valid
    }

    static func wire(_ record: SalesSettingsRecord) -> SalesSettings {
        SalesSettings(
            stages: record.stages.map { SalesStage(name: $0.name, outcome: $0.outcome) },
            createOrderOnWon: record.createOrderOnWon, renewalLeadDays: record.renewalLeadDays,
            renewalPricing: record.renewalPricing, renewalUpliftPercent: record.renewalUpliftPercent,
            renewalAutoQuote: record.renewalAutoQuote, quoteValidityDays: record.quoteValidityDays,
            version: record.version)
    }
}
