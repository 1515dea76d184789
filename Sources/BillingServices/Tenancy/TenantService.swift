import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// The operator's work: creating tenants and managing their API keys.
public struct TenantService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func create(_ params: TenantsCreate.Params) async throws -> TenantsCreate.Result {
        let newTenant = try Self.validate(params)
        return try await store.asOperator { transaction in
            let record = try await TenantRepository(transaction).insert(newTenant)
            let tenant = Self.wire(record)
            let scoped = try await transaction.actingFor(record.id)
            try await EventOutbox(scoped).append(
                .wire("tenant.created", entity: "tenant", id: tenant.id, tenant)
            )
            let credentials = try await Self.issueKey(in: scoped)
            return TenantsCreate.Result(tenant: tenant, apiKey: credentials.apiKey, apiSecret: credentials.apiSecret)
        }
    }

    public func list(_ params: PageRequest) async throws -> Page<Tenant> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor).map(TenantID.init)
        let records = try await store.asOperator { transaction in
            try await TenantRepository(transaction).list(after: after, limit: limit + 1)
        }
        let page = records.prefix(limit).map(Self.wire)
        return Page(items: page, nextCursor: records.count > limit ? page.last?.id : nil)
    }

    public func createApiKey(_ params: ApiKeysCreate.Params) async throws -> ApiCredentials {
        guard let tenant = TenantID(params.tenantId) else { throw Self.noSuchTenant(params.tenantId) }
        return try await store.asOperator { transaction in
            guard try await TenantRepository(transaction).find(tenant) != nil else {
                throw Self.noSuchTenant(params.tenantId)
            }
            return try await Self.issueKey(in: try await transaction.actingFor(tenant))
        }
    }

    public func revokeApiKey(_ params: ApiKeysRevoke.Params) async throws -> ApiKeysRevoke.Result {
        let missing = RPCError(.notFound, "no API key \(params.apiKey)")
        guard let tenant = ApiKeyMinter.tenant(of: params.apiKey) else { throw missing }
        return try await store.asOperator { transaction in
            let scoped = try await transaction.actingFor(tenant)
            guard let (record, newlyRevoked) = try await ApiKeyRepository(scoped).revoke(key: params.apiKey),
                let revokedAt = record.revokedAt
            else { throw missing }
            guard newlyRevoked else { return ApiKeysRevoke.Result(apiKey: record.key, revokedAt: revokedAt) }
            try await EventOutbox(scoped).append(
                .wire(
                    "api_key.revoked", entity: "api_key", id: record.key,
                    ["api_key": record.key, "revoked_at": revokedAt])
            )
            return ApiKeysRevoke.Result(apiKey: record.key, revokedAt: revokedAt)
        }
    }

    private static func issueKey(in transaction: TenantTransaction) async throws -> ApiCredentials {
        let minted = ApiKeyMinter.mint(for: transaction.tenantID)
        let record = try await ApiKeyRepository(transaction).insert(
            key: minted.key,
            secretSalt: minted.salt,
            secretHash: minted.hash
        )
        try await EventOutbox(transaction).append(
            .wire(
                "api_key.created", entity: "api_key", id: record.key,
                ["api_key": record.key, "created_at": record.createdAt])
        )
        return ApiCredentials(tenantId: transaction.tenantID.description, apiKey: minted.key, apiSecret: minted.secret)
    }

    static func validate(_ params: TenantsCreate.Params) throws -> TenantRepository.NewTenant {
        TenantRepository.NewTenant(
            name: try FieldRules.name(params.name, field: "name"),
            defaultCurrency: try Currency(code: params.defaultCurrency, field: "default_currency"),
            timezone: try FieldRules.timezone(params.timezone ?? "UTC") ?? "UTC",
            legalEntityName: try FieldRules.name(params.legalEntity.name, field: "legal_entity.name"),
            legalEntityCountry: try CountryCode(params.legalEntity.country, field: "legal_entity.country"),
            legalEntityVATNumber: params.legalEntity.vatNumber,
            legalEntityAddress: try AccountFields.validAddress(
                params.legalEntity.address, field: "legal_entity.address")
        )
    }

    static func wire(_ record: TenantRecord) -> Tenant {
        Tenant(
            id: record.id.description,
            name: record.name,
            defaultCurrency: record.defaultCurrency,
            timezone: record.timezone,
            legalEntity: LegalEntity(
                name: record.legalEntityName,
                country: record.legalEntityCountry,
                vatNumber: record.legalEntityVATNumber,
                address: record.legalEntityAddress.flatMap {
                    try? JSONDecoder().decode(Address.self, from: Data($0.utf8))
                }
            ),
            version: record.version,
            createdAt: record.createdAt,
            updatedAt: record.updatedAt
        )
    }

    static func noSuchTenant(_ id: String) -> RPCError {
        RPCError(.notFound, "no tenant \(id)")
    }
}
