import BillingProtocol

/// The paging rules every list shares: `limit` 1–1000 (default 100), and a cursor that is the id
/// of the last item of the previous page (lists run in creation order, which is id order).
enum Paging {
    static func limit(_ limit: Int?) throws -> Int {
        let value = limit ?? 100
        guard (1...1000).contains(value) else {
            throw RPCError(.invalidParams, "limit must be between 1 and 1000", fields: ["limit (out of range)"])
        }
        return value
    }

    /// The id to list after, or nil for the first page.
    static func after(_ cursor: String?) throws -> Int64? {
        guard let cursor else { return nil }
        guard let id = Int64(cursor), id > 0 else {
            throw RPCError(.invalidParams, "cursor is not one this server returned", fields: ["cursor (invalid)"])
        }
        return id
    }
}
