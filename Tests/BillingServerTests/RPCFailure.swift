import BillingProtocol

/// How a call failed: its error code, `data.reason` and `data.field`; nil when it succeeded or
/// failed with something other than a protocol error.
func rpcFailure(_ body: () async throws -> some Any) async -> (code: Int, reason: String?, field: String?)? {
    do {
        _ = try await body()
        return nil
    } catch let error as RPCError {
        return (error.code, error.data.reason, error.data.field)
    } catch {
        return nil
    }
}
