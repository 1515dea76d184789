extension PriceTier: Codable {
    enum CodingKeys: String, CodingKey {
        case upTo = "up_to"
        case unitPrice = "unit_price"
        case flatFee = "flat_fee"
    }

    /// `{up_to|null, unit_price, flat_fee?}`: a missing `up_to` is the open tier, a missing
    /// `flat_fee` is zero.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            upTo: try container.decodeIfPresent(Decimal6.self, forKey: .upTo),
            unitPrice: try container.decode(Decimal6.self, forKey: .unitPrice),
            flatFee: try container.decodeIfPresent(Decimal6.self, forKey: .flatFee) ?? .zero
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(upTo, forKey: .upTo)
        try container.encode(unitPrice, forKey: .unitPrice)
        try container.encode(flatFee, forKey: .flatFee)
    }
}
