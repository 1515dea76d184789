extension Decimal6: Codable {
    /// On the wire and in JSON columns a decimal is its exact text (`"0.05"`); a JSON number or a
    /// seventh fractional digit is refused, never rounded.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Decimal6(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a decimal string with at most 6 fractional digits, got \"\(text)\"")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
