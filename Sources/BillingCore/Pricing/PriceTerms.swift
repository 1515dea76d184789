/// What one service of a product costs under one price entry: the pricing model with its amounts,
/// the quantity included free, and, for a recurring service, the period the price is for.
public struct PriceTerms: Hashable, Sendable {
    public let model: PricingModel
    public let includedQuantity: Decimal6
    /// Set exactly for recurring services.
    public let frequency: BillingFrequency?

    public init(model: PricingModel, includedQuantity: Decimal6 = .zero, frequency: BillingFrequency? = nil) {
        self.model = model
        self.includedQuantity = includedQuantity
        self.frequency = frequency
    }

    /// Checks a price's fields against the service it prices: the fields the service's pricing
    /// model needs are present and the others absent, amounts are not negative, tiers are valid,
    /// and a frequency (monthly when omitted) is given exactly for recurring services.
    ///
    /// `field` prefixes the field names in failures, e.g. `prices[2]`.
    public static func validate(
        kind: ServiceKind,
        pricingModel: String,
        unitPrice: Decimal6?,
        packageSize: Decimal6?,
        tiers: [PriceTier]?,
        includedQuantity: Decimal6?,
        frequency: String?,
        field: String
    ) throws(ValidationFailure) -> PriceTerms {
        func missing(_ name: String) -> ValidationFailure {
            ValidationFailure(
                reason: "missing_price", field: "\(field).\(name)",
                message: "a \(pricingModel) price needs \(name)")
        }
        func notApplicable(_ name: String) -> ValidationFailure {
            ValidationFailure(
                reason: "invalid_price", field: "\(field).\(name)",
                message: "a \(pricingModel) price has no \(name)")
        }
        if let unitPrice, unitPrice < .zero {
            throw ValidationFailure(
                reason: "negative_price", field: "\(field).unit_price", message: "a price cannot be negative")
        }
        let model: PricingModel
        switch pricingModel {
        case "per_unit", "package":
            guard let unitPrice else { throw missing("unit_price") }
            guard tiers == nil else { throw notApplicable("tiers") }
            if pricingModel == "per_unit" {
                guard packageSize == nil else { throw notApplicable("package_size") }
                model = .perUnit(unitPrice: unitPrice)
            } else {
                guard let packageSize else { throw missing("package_size") }
                guard packageSize > .zero else {
                    throw ValidationFailure(
                        reason: "invalid_package_size", field: "\(field).package_size",
                        message: "a package holds more than 0 units")
                }
                model = .package(size: packageSize, packagePrice: unitPrice)
            }
        case "volume", "graduated":
            guard let tiers else { throw missing("tiers") }
            guard unitPrice == nil else { throw notApplicable("unit_price") }
            guard packageSize == nil else { throw notApplicable("package_size") }
            try PriceTier.validate(tiers, field: "\(field).tiers")
            model = pricingModel == "volume" ? .volume(tiers) : .graduated(tiers)
        default:
            throw ValidationFailure(
                reason: "invalid_pricing_model", field: "\(field).pricing_model",
                message: "unknown pricing model \(pricingModel)")
        }
        let included = includedQuantity ?? .zero
        guard included >= .zero else {
            throw ValidationFailure(
                reason: "invalid_included_quantity", field: "\(field).included_quantity",
                message: "the included quantity cannot be negative")
        }
        guard kind == .recurring else {
            guard frequency == nil else {
                throw ValidationFailure(
                    reason: "invalid_price", field: "\(field).frequency",
                    message: "only the price of a recurring service has a frequency")
            }
            return PriceTerms(model: model, includedQuantity: included)
        }
        guard let recurrence = BillingFrequency(rawValue: frequency ?? "monthly") else {
            throw ValidationFailure(
                reason: "invalid_frequency", field: "\(field).frequency",
                message: "frequency is one of monthly, quarterly, semiannual, annual")
        }
        return PriceTerms(model: model, includedQuantity: included, frequency: recurrence)
    }
}

extension PriceTerms {
    /// The same price for periods of `frequency`: amounts scaled by the ratio of the periods'
    /// months (a monthly 10.00 is a quarterly 30.00), exact where six decimals hold it and rounded
    /// half away from zero to six decimals otherwise. Terms without a frequency are unchanged.
    public func converted(to frequency: BillingFrequency) -> PriceTerms {
        guard let from = self.frequency, from != frequency else {
            return PriceTerms(model: model, includedQuantity: includedQuantity, frequency: self.frequency ?? frequency)
        }
        return PriceTerms(
            model: scalingAmounts(by: Int128(frequency.months), over: Int128(from.months)),
            includedQuantity: includedQuantity, frequency: frequency)
    }

    /// The price raised (an uplift) or lowered (a discount, negative) by `percent`: every amount
    /// times `1 + percent / 100`, rounded half away from zero to six decimals.
    public func adjusted(byPercent percent: Decimal6) -> PriceTerms {
        let hundred = Int128(100 * Decimal6.scale)
        return PriceTerms(
            model: scalingAmounts(by: hundred + Int128(percent.scaled), over: hundred),
            includedQuantity: includedQuantity, frequency: frequency)
    }

    /// The model with every price and fee times `numerator / denominator` (positive).
    private func scalingAmounts(by numerator: Int128, over denominator: Int128) -> PricingModel {
        func scale(_ value: Decimal6) -> Decimal6 {
            let product = Int128(value.scaled) * numerator
            let (quotient, remainder) = product.quotientAndRemainder(dividingBy: denominator)
            let rounded =
                remainder.magnitude * 2 >= denominator.magnitude ? quotient + (product < 0 ? -1 : 1) : quotient
            return Decimal6(scaled: Int64(clamping: rounded))
        }
        func tiers(_ tiers: [PriceTier]) -> [PriceTier] {
            tiers.map { PriceTier(upTo: $0.upTo, unitPrice: scale($0.unitPrice), flatFee: scale($0.flatFee)) }
        }
        return switch model {
        case .perUnit(let price): .perUnit(unitPrice: scale(price))
        case .package(let size, let price): .package(size: size, packagePrice: scale(price))
        case .volume(let list): .volume(tiers(list))
        case .graduated(let list): .graduated(tiers(list))
        }
    }
}
