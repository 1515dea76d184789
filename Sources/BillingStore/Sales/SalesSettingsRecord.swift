import BillingCore
import Foundation
import Postgres

/// A tenant's sales settings; the defaults when it has saved none.
public struct SalesSettingsRecord: Sendable, Equatable {
    /// A stage and its outcome (open, won, lost), as stored in the `stages` list.
    public struct Stage: Codable, Sendable, Equatable {
        public var name: String
        public var outcome: String

        public init(name: String, outcome: String) {
            self.name = name
            self.outcome = outcome
        }
    }

    public var stages: [Stage]
    public var createOrderOnWon: Bool
    public var renewalLeadDays: Int
    public var renewalPricing: String
    public var renewalUpliftPercent: Decimal6?
    public var renewalAutoQuote: Bool
    public var quoteValidityDays: Int
    public var version: Int

    public init(
        stages: [Stage], createOrderOnWon: Bool, renewalLeadDays: Int, renewalPricing: String,
        renewalUpliftPercent: Decimal6?, renewalAutoQuote: Bool, quoteValidityDays: Int, version: Int
    ) {
        self.stages = stages
        self.createOrderOnWon = createOrderOnWon
        self.renewalLeadDays = renewalLeadDays
        self.renewalPricing = renewalPricing
        self.renewalUpliftPercent = renewalUpliftPercent
        self.renewalAutoQuote = renewalAutoQuote
        self.quoteValidityDays = quoteValidityDays
        self.version = version
    }

    /// What a tenant that never changed its settings has (version 0: nothing saved).
    public static let defaults = SalesSettingsRecord(
        stages: [
            Stage(name: "prospecting", outcome: "open"), Stage(name: "qualification", outcome: "open"),
            Stage(name: "proposal", outcome: "open"), Stage(name: "negotiation", outcome: "open"),
            Stage(name: "closed_won", outcome: "won"), Stage(name: "closed_lost", outcome: "lost"),
        ],
        createOrderOnWon: true, renewalLeadDays: 30, renewalPricing: "same", renewalUpliftPercent: nil,
        renewalAutoQuote: false, quoteValidityDays: 30, version: 0)

    /// The stage called `name`, if the tenant has one.
    public func stage(named name: String) -> Stage? {
        stages.first { $0.name == name }
    }

    /// The first stage of the outcome.
    public func firstStage(_ outcome: String) -> Stage? {
        stages.first { $0.outcome == outcome }
    }

    static let columns = """
        stages::text AS stages, create_order_on_won, renewal_lead_days, renewal_pricing,
        renewal_uplift_percent::text AS renewal_uplift_percent, renewal_auto_quote, quote_validity_days, version
        """

    init(row: PostgresRow) throws {
        stages = try JSONDecoder().decode([Stage].self, from: Data(try row.decode("stages", as: String.self).utf8))
        createOrderOnWon = try row.decode("create_order_on_won")
        renewalLeadDays = try row.decode("renewal_lead_days")
        renewalPricing = try row.decode("renewal_pricing")
        renewalUpliftPercent = try row.decode("renewal_uplift_percent")
        renewalAutoQuote = try row.decode("renewal_auto_quote")
        quoteValidityDays = try row.decode("quote_validity_days")
        version = try row.decode("version")
    }
}
