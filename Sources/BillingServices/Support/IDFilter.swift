import BillingProtocol

/// An id given as a list filter names an object of the caller's tenant, or the call is -32003 like
/// any other id that names nothing: a filter never answers "none" for another tenant's id.
enum IDFilter {
    static func parse(_ id: String?, _ kind: String) throws -> Int64? {
        guard let id else { return nil }
        guard let number = Int64(id) else { throw RPCError(.notFound, "no \(kind) \(id)") }
        return number
    }

    /// The id parsed, once `exists` has found it.
    static func existing(
        _ id: String?, _ kind: String, exists: (Int64) async throws -> Bool
    ) async throws -> Int64? {
        guard let number = try parse(id, kind) else { return nil }
        guard try await exists(number) else { throw RPCError(.notFound, "no \(kind) \(number)") }
        return number
    }
}
