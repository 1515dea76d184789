import BillingCore
import BillingProtocol
import BillingStore

/// The product catalog: products and the services they are billed through.
public struct CatalogService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func createProduct(_ input: ProductInput, tenant: TenantID) async throws -> Product {
        let valid = try Self.validate(input)
        return try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: ProductsCreate.name, key: input.idempotencyKey, params: input, in: transaction
            ) {
                try await insert(valid, in: transaction)
            }
        }
    }

    /// Creates the product with this `external_id`, or makes the existing one exactly `input`.
    public func upsertProduct(_ input: ProductInput, tenant: TenantID) async throws -> ProductsUpsert.Result {
        guard let externalID = input.externalId else {
            throw RPCError(.invalidParams, "products.upsert needs external_id", fields: ["external_id (missing)"])
        }
        let valid = try Self.validate(input)
        return try await store.inTenant(tenant) { transaction in
            try await transaction.lock("product:" + externalID)
            let products = ProductRepository(transaction)
            guard let existing = try await products.find(externalID: externalID, forUpdate: true) else {
                return .init(product: try await insert(valid, in: transaction), created: true)
            }
            let product = try await write(valid, over: existing, in: transaction)
            return .init(product: product, created: false)
        }
    }

    public func getProduct(_ reference: ObjectReference, tenant: TenantID) async throws -> Product {
        try await store.inTenant(tenant) { transaction in
            let products = ProductRepository(transaction)
            let record = try await reference.resolve(
                "product", byID: { try await products.find(id: $0) },
                byExternalID: { try await products.find(externalID: $0) })
            return try await Self.wire(record, products)
        }
    }

    public func listProducts(_ params: PageRequest, tenant: TenantID) async throws -> Page<Product> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let products = ProductRepository(transaction)
            let records = try await products.list(after: after, limit: limit + 1)
            let page = Array(records.prefix(limit))
            let services = try await products.services(of: page.map(\.id))
            let items = page.map { Self.wire($0, services: services[$0.id] ?? []) }
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func updateProduct(_ params: ProductsUpdate.Params, tenant: TenantID) async throws -> Product {
        try await store.inTenant(tenant) { transaction in
            let products = ProductRepository(transaction)
            guard let id = Int64(params.id), let current = try await products.find(id: id, forUpdate: true) else {
                throw RPCError(.notFound, "no product \(params.id)")
            }
            if let expected = params.expectedVersion, expected != current.version { throw Self.stale(current) }
            var valid = ValidProduct(
                code: current.code,
                name: current.name,
                externalID: current.externalID,
                services: try await products.services(of: [current.id])[current.id] ?? []
            )
            if let code = params.code { valid.code = try FieldRules.code(code) }
            if let name = params.name { valid.name = try FieldRules.name(name, field: "name") }
            if case .set(let externalID) = params.externalId {
                valid.externalID = try FieldRules.externalID(externalID)
            }
            if let services = params.services { valid.services = try Self.validServices(services) }
            return try await write(valid, over: current, in: transaction)
        }
    }

    // MARK: - Steps and rules

    struct ValidProduct: Equatable {
        var code: String
        var name: String
        var externalID: String?
        var services: [ProductServiceRecord]
    }

    private func insert(_ valid: ValidProduct, in transaction: TenantTransaction) async throws -> Product {
        let products = ProductRepository(transaction)
        let record = try await products.insert(code: valid.code, name: valid.name, externalID: valid.externalID)
        try await products.replaceServices(of: record.id, with: valid.services)
        let product = Self.wire(record, services: valid.services)
        try await Self.record("product.created", product, in: transaction)
        return product
    }

    private func write(
        _ valid: ValidProduct, over current: ProductRecord, in transaction: TenantTransaction
    )
        async throws -> Product
    {
        let products = ProductRepository(transaction)
        let services = try await products.services(of: [current.id])[current.id] ?? []
        let unchanged = ValidProduct(
            code: current.code, name: current.name, externalID: current.externalID, services: services)
        guard valid != unchanged else { return Self.wire(current, services: services) }
        guard
            let updated = try await products.update(
                id: current.id, code: valid.code, name: valid.name, externalID: valid.externalID,
                version: current.version)
        else { throw Self.stale(current) }
        if valid.services != services {
            try await Self.checkPricedServicesKept(of: current.id, from: services, to: valid.services, in: transaction)
            try await products.replaceServices(of: current.id, with: valid.services)
        }
        let product = Self.wire(updated, services: valid.services)
        try await Self.record("product.updated", product, in: transaction)
        return product
    }

    /// A service that has prices or order items keeps its code, kind and pricing model: its prices
    /// were stated for them. Name, tax category and unit may change.
    private static func checkPricedServicesKept(
        of productID: Int64, from current: [ProductServiceRecord], to new: [ProductServiceRecord],
        in transaction: TenantTransaction
    ) async throws {
        let changed = current.filter { service in
            guard let replacement = new.first(where: { $0.code == service.code }) else { return true }
            return replacement.kind != service.kind || replacement.pricingModel != service.pricingModel
        }
        guard !changed.isEmpty else { return }
        let priced = try await PriceRepository(transaction).pricedServices(of: productID, among: changed.map(\.code))
        if let code = changed.map(\.code).first(where: priced.contains) {
            throw ValidationFailure(
                reason: "service_has_prices", field: "services",
                message: "service \(code) has prices or order items, so it cannot be removed or change its kind or "
                    + "pricing model; add a new service instead")
        }
    }

    static func validate(_ input: ProductInput) throws -> ValidProduct {
        ValidProduct(
            code: try FieldRules.code(input.code),
            name: try FieldRules.name(input.name, field: "name"),
            externalID: try FieldRules.externalID(input.externalId),
            services: try validServices(input.services)
        )
    }

    static func validServices(_ services: [ProductService]) throws -> [ProductServiceRecord] {
        guard !services.isEmpty else {
            throw ValidationFailure(
                reason: "no_services", field: "services", message: "a product needs at least one service")
        }
        guard Set(services.map(\.code)).count == services.count else {
            throw ValidationFailure(
                reason: "duplicate_service", field: "services",
                message: "two services of the product have the same code")
        }
        return try services.enumerated().map { index, service in
            let field = "services[\(index)]"
            return ProductServiceRecord(
                code: try FieldRules.code(service.code, field: "\(field).code"),
                name: try FieldRules.name(service.name, field: "\(field).name"),
                kind: try FieldRules.oneOf(
                    service.kind, ["recurring", "one_time", "usage"], field: "\(field).kind", reason: "invalid_kind"),
                taxCategory: try FieldRules.label(service.taxCategory, field: "\(field).tax_category") ?? "standard",
                unit: try FieldRules.label(service.unit, field: "\(field).unit"),
                pricingModel: try FieldRules.oneOf(
                    service.pricingModel ?? "per_unit", ["per_unit", "package", "volume", "graduated"],
                    field: "\(field).pricing_model", reason: "invalid_pricing_model")
            )
        }
    }

    private static func stale(_ product: ProductRecord) -> RPCError {
        RPCError(.conflict, "product \(product.id) is at version \(product.version); reload it and retry")
    }

    private static func wire(_ record: ProductRecord, _ products: ProductRepository) async throws -> Product {
        wire(record, services: try await products.services(of: [record.id])[record.id] ?? [])
    }

    static func wire(_ record: ProductRecord, services: [ProductServiceRecord]) -> Product {
        Product(
            id: String(record.id),
            externalId: record.externalID,
            code: record.code,
            name: record.name,
            services: services.map {
                ProductService(
                    code: $0.code, name: $0.name, kind: $0.kind, taxCategory: $0.taxCategory, unit: $0.unit,
                    pricingModel: $0.pricingModel)
            },
            version: record.version,
            createdAt: record.createdAt,
            updatedAt: record.updatedAt
        )
    }

    private static func record(_ type: String, _ product: Product, in transaction: TenantTransaction) async throws {
        try await EventOutbox(transaction).append(.wire(type, entity: "product", id: product.id, product))
    }
}
