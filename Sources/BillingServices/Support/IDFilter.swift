import BillingProtocol

/// An id given as a list filter: one this server cannot have issued names nothing there, which
/// is -32003 like any id that names no object.
enum IDFilter {
    static func parse(_ id: String?, _ kind: String) throws -> Int64? {
        guard let id else { return nil }
        guard let number = Int64(id) else { throw RPCError(.notFound, "no \(kind) \(id)") }
        return number
    }
}
