import BillingProtocol

extension ObjectReference {
    /// The object this reference names by `id` or by `external_id` (exactly one of them given);
    /// -32003 `no <kind> <id>` or `no <kind> with external_id <x>` when there is none.
    func resolve<Record>(
        _ kind: String,
        byID: (Int64) async throws -> Record?,
        byExternalID: (String) async throws -> Record?
    ) async throws -> Record {
        switch (id, externalId) {
        case (let id?, nil):
            guard let number = Int64(id), let record = try await byID(number) else {
                throw RPCError(.notFound, "no \(kind) \(id)")
            }
            return record
        case (nil, let externalID?):
            guard let record = try await byExternalID(externalID) else {
                throw RPCError(.notFound, "no \(kind) with external_id \(externalID)")
            }
            return record
        default:
            throw RPCError(.invalidParams, "give id or external_id, one of them", fields: ["id", "external_id"])
        }
    }
}
