import BillingCore
import BillingStore

enum TenantFixtures {
    /// A tenant with one API key and one event, so every tenant table holds a row of it.
    static func makeTenant(_ store: BillingStore, name: String) async throws -> TenantID {
        try await store.asOperator { transaction in
            let tenant = try await TenantRepository(transaction).insert(
                .init(
                    name: name,
                    defaultCurrency: try Currency(code: "EUR"),
                    timezone: "Europe/Paris",
                    legalEntityName: "\(name) SAS",
                    legalEntityCountry: try CountryCode("FR"),
                    legalEntityVATNumber: nil
                )
            ).id
            let scoped = try await transaction.actingFor(tenant)
            _ = try await ApiKeyRepository(scoped).insert(key: "lk_\(tenant)_fixture", secretSalt: [1], secretHash: [2])
            try await EventOutbox(scoped).append(
                NewEvent(type: "tenant.created", entity: "tenant", entityID: "\(tenant)", data: "{}"))
            return tenant
        }
    }
}
