/// The company a row, a session or a request belongs to.
public struct TenantID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int64

    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// Parses the wire form (the decimal string partners see).
    public init?(_ text: String) {
        guard let value = Int64(text), value > 0 else { return nil }
        self.rawValue = value
    }

    public var description: String { String(rawValue) }
}
