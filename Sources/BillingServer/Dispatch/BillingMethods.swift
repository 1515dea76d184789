import BillingProtocol
import BillingServices
import BillingStore

/// The method table of this server: each protocol method bound to the use case that serves it.
/// (`hello` is handled by the session itself, since it changes the session.)
public enum BillingMethods {
    public static func table(store: BillingStore) -> MethodTable {
        let tenants = TenantService(store: store)
        var table = MethodTable()
        table.register(Ping.self) { _, _ in Ping.Result(pong: true) }
        table.register(TenantsCreate.self) { params, _ in try await tenants.create(params) }
        table.register(TenantsList.self) { params, _ in try await tenants.list(params) }
        table.register(ApiKeysCreate.self) { params, _ in try await tenants.createApiKey(params) }
        table.register(ApiKeysRevoke.self) { params, _ in try await tenants.revokeApiKey(params) }
        return table
    }
}
