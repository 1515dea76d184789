import BillingProtocol

/// The `limit` rule every list shares: 1–1000, default 100.
enum PageLimit {
    static func validate(_ limit: Int?) throws -> Int {
        let value = limit ?? 100
        guard (1...1000).contains(value) else {
            throw RPCError(.invalidParams, "limit must be between 1 and 1000", fields: ["limit (out of range)"])
        }
        return value
    }
}
