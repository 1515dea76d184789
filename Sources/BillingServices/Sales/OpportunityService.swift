import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Opportunities: line items priced by the catalog lookup (or overridden) less a discount,
/// product schedules (BILLING.md §6), and stages; entering the won stage makes the order, once.
public struct OpportunityService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func create(_ input: OpportunityInput, tenant: TenantID) async throws -> Opportunity {
        try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: OpportunitiesCreate.name, key: input.idempotencyKey, params: input, in: transaction
            ) {
                try await Self.insert(input, in: transaction)
            }
        }
    }

    /// Creates the opportunity with this `external_id`, or brings the existing one to exactly
    /// `input`: its line items are replaced only when they differ from what was asked before.
    public func upsert(_ input: OpportunityInput, tenant: TenantID) async throws -> OpportunitiesUpsert.Result {
        guard let externalID = input.externalId else {
            throw RPCError(.invalidParams, "opportunities.upsert needs external_id", fields: ["external_id (missing)"])
        }
        return try await store.inTenant(tenant) { transaction in
            try await transaction.lock("opportunity:" + externalID)
            let opportunities = OpportunityRepository(transaction)
            guard let existing = try await opportunities.find(externalID: externalID, forUpdate: true) else {
                return .init(opportunity: try await Self.insert(input, in: transaction), created: true)
            }
            guard String(existing.accountID) == input.accountId else {
                throw ValidationFailure(
                    reason: "account_change", field: "account_id",
                    message: "opportunity \(existing.id) is of account \(existing.accountID); it cannot move")
            }
            if let currency = input.currency, currency != existing.currency {
                throw ValidationFailure(
                    reason: "currency_change", field: "currency",
                    message: "opportunity \(existing.id) is in \(existing.currency); it cannot change")
            }
            var params = OpportunitiesUpdate.Params(id: String(existing.id))
            params.name = input.name
            params.closeDate = input.closeDate
            params.startDate = input.startDate ?? input.closeDate
            params.endDate = input.endDate.map { .set($0) } ?? .set(nil)
            params.priceBookId = input.priceBookId.map { .set($0) } ?? .set(nil)
            params.orderType = input.orderType ?? "subscription"
            let items = try await OpportunityRepository(transaction).items(of: [existing.id])[existing.id] ?? []
            let wanted = input.items ?? []
            if items.count != wanted.count || !zip(items, wanted).allSatisfy(Self.answers) { params.items = wanted }
            // An opportunity the CRM reopens is reopened before its items change; one it closes is
            // closed after, so that winning orders the new items.
            var current = existing
            let settings = try await SalesSettingsRepository(transaction).current()
            if let name = input.stage, name != current.stage, try Self.stage(name, in: settings).outcome == "open" {
                _ = try await Self.setStage(name, of: current, in: transaction)
                current = try await Self.locked(String(current.id), in: transaction)
            }
            var opportunity = try await Self.update(params, existing: current, in: transaction)
            if let stage = input.stage, stage != opportunity.stage {
                opportunity = try await Self.setStage(
                    stage, of: try await Self.locked(opportunity.id, in: transaction), in: transaction)
            }
            return .init(opportunity: opportunity, created: false)
        }
    }

    public func get(_ reference: ObjectReference, tenant: TenantID) async throws -> Opportunity {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let opportunities = OpportunityRepository(transaction)
            let record = try await reference.resolve(
                "opportunity", byID: { try await opportunities.find(id: $0) },
                byExternalID: { try await opportunities.find(externalID: $0) })
            return try await Self.wire(record, in: transaction)
        }
    }

    public func list(_ params: OpportunitiesList.Params, tenant: TenantID) async throws -> Page<Opportunity> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            var accountID: Int64?
            if let id = params.accountId {
                accountID = try await AccountService.existing(id, field: "account_id", AccountRepository(transaction))
                    .id
            }
            let records = try await OpportunityRepository(transaction).list(
                accountID: accountID, stage: params.stage, after: after, limit: limit + 1)
            let items = try await Self.wire(Array(records.prefix(limit)), in: transaction)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func update(_ params: OpportunitiesUpdate.Params, tenant: TenantID) async throws -> Opportunity {
        try await store.inTenant(tenant) { transaction in
            let current = try await Self.locked(params.id, in: transaction)
            if let expected = params.expectedVersion, expected != current.version { throw Self.stale(current) }
            return try await Self.update(params, existing: current, in: transaction)
        }
    }

    public func setStage(_ params: OpportunitiesSetStage.Params, tenant: TenantID) async throws -> Opportunity {
        try await store.inTenant(tenant) { transaction in
            let current = try await Self.locked(params.id, in: transaction)
            if let expected = params.expectedVersion, expected != current.version { throw Self.stale(current) }
            return try await Self.setStage(params.stage, of: current, in: transaction)
        }
    }

    public func setSchedule(_ params: OpportunitiesSetSchedule.Params, tenant: TenantID) async throws -> Opportunity {
        let type = try FieldRules.oneOf(
            params.type, ["quantity", "revenue", "both", "none"], field: "type", reason: "invalid_schedule_type")
        return try await store.inTenant(tenant) { transaction in
            let opportunities = OpportunityRepository(transaction)
            guard let itemID = Int64(params.itemId), let found = try await opportunities.item(id: itemID) else {
                throw RPCError(.notFound, "no opportunity item \(params.itemId)")
            }
            let opportunity = try await Self.locked(String(found.opportunityID), in: transaction)
            try Self.checkOpen(opportunity)
            guard let item = try await opportunities.item(id: itemID) else {
                throw RPCError(.notFound, "no opportunity item \(params.itemId)")
            }
            if type == "none", item.scheduleType == nil { return try await Self.wire(opportunity, in: transaction) }
            let currency = try Currency(code: opportunity.currency)
            let start = item.item.startDate ?? opportunity.startDate
            let plan = try OpportunitySchedule.plan(
                type: type, quantity: params.quantitySchedule, revenue: params.revenueSchedule, item: item,
                start: start, currency: currency)
            try await opportunities.setSchedule(
                itemID: item.id, type: plan.type, schedule: plan.request, quantity: plan.quantity, amount: plan.amount,
                installments: plan.installments)
            let touched = try await opportunities.touch(id: opportunity.id)
            let wired = try await Self.wire(touched, in: transaction)
            try await Self.record(
                "opportunity.schedule_set", wired, details: ["item_id": .string(String(item.id))], in: transaction)
            return wired
        }
    }

    // MARK: - Steps

    private static func insert(
        _ input: OpportunityInput, in transaction: TenantTransaction
    ) async throws
        -> Opportunity
    {
        let account = try await AccountService.existing(
            input.accountId, field: "account_id", AccountRepository(transaction))
        try OrderService.checkOpen(account)
        let currency = try Currency(code: input.currency ?? account.currency)
        guard currency.code == account.currency else {
            throw ValidationFailure(
                reason: "currency_mismatch", field: "currency",
                message: "account \(account.id) bills in \(account.currency), not \(currency.code)")
        }
        let settings = try await SalesSettingsRepository(transaction).current()
        // A deal the CRM already closed is made open, with its items, then closed as any other:
        // winning it makes its order.
        let asked = try stage(input.stage ?? settings.firstStage("open")?.name ?? "", in: settings)
        guard let stage = asked.outcome == "open" ? asked : settings.firstStage("open") else {
            throw ValidationFailure(reason: "invalid_stages", field: "stage", message: "the tenant has no open stage")
        }
        let fields = try await fields(
            OpportunityFields(
                externalID: try FieldRules.externalID(input.externalId), name: input.name, priceBookID: nil,
                closeDate: input.closeDate, startDate: input.startDate ?? input.closeDate, endDate: input.endDate,
                orderType: input.orderType ?? "subscription"),
            priceBookID: input.priceBookId, currency: currency, in: transaction)
        guard
            let record = try await OpportunityRepository(transaction).insert(
                fields, accountID: account.id, currency: currency.code, stage: stage)
        else { throw RPCError(.conflict, "the opportunity could not be stored") }
        let lines = try await SaleLinePricer(
            transaction: transaction, account: account, currency: currency, priceBookID: record.priceBookID,
            start: record.startDate, end: record.endDate
        ).lines(input.items ?? [])
        _ = try await OpportunityRepository(transaction).replaceItems(of: record.id, with: lines)
        let opportunity = try await wire(record, in: transaction)
        try await EventOutbox(transaction).append(
            .wire("opportunity.created", entity: "opportunity", id: opportunity.id, opportunity))
        guard asked != stage else { return opportunity }
        return try await setStage(asked.name, of: record, in: transaction)
    }

    private static func update(
        _ params: OpportunitiesUpdate.Params, existing current: OpportunityRecord, in transaction: TenantTransaction
    ) async throws -> Opportunity {
        var fields = current.fields
        if let name = params.name { fields.name = name }
        if let date = params.closeDate { fields.closeDate = date }
        if let date = params.startDate { fields.startDate = date }
        if case .set(let date) = params.endDate { fields.endDate = date }
        if let type = params.orderType { fields.orderType = type }
        if case .set(let id) = params.externalId { fields.externalID = try FieldRules.externalID(id) }
        var book: String? = current.priceBookID.map(String.init)
        if case .set(let id) = params.priceBookId { book = id }
        let currency = try Currency(code: current.currency)
        fields = try await Self.fields(fields, priceBookID: book, currency: currency, in: transaction)
        let termChanged =
            fields.startDate != current.startDate || fields.endDate != current.endDate
            || fields.priceBookID != current.priceBookID
        if params.items != nil || termChanged { try checkOpen(current) }
        let opportunities = OpportunityRepository(transaction)
        var record = current
        if fields != current.fields {
            guard let updated = try await opportunities.update(id: current.id, fields: fields, version: current.version)
            else { throw stale(current) }
            record = updated
        }
        if let items = params.items {
            let account = try await AccountService.existing(
                String(record.accountID), field: "account_id", AccountRepository(transaction))
            try OrderService.checkOpen(account)
            let lines = try await SaleLinePricer(
                transaction: transaction, account: account, currency: currency, priceBookID: record.priceBookID,
                start: record.startDate, end: record.endDate
            ).lines(items)
            _ = try await opportunities.replaceItems(of: record.id, with: lines)
            if record.version == current.version { record = try await opportunities.touch(id: record.id) }
        }
        let opportunity = try await wire(record, in: transaction)
        if record.version != current.version {
            try await Self.record("opportunity.updated", opportunity, details: [:], in: transaction)
        }
        return opportunity
    }

    /// Moves the opportunity to `stage`. Entering the won stage makes its order when the tenant
    /// wants one and it has none; an opportunity that became an order stays won.
    static func setStage(
        _ name: String, of current: OpportunityRecord, in transaction: TenantTransaction
    ) async throws -> Opportunity {
        let settings = try await SalesSettingsRepository(transaction).current()
        let stage = try stage(name, in: settings)
        guard stage.name != current.stage else { return try await wire(current, in: transaction) }
        if current.orderID != nil, stage.outcome != "won" {
            throw ValidationFailure(
                reason: "opportunity_won", field: "stage",
                message: "opportunity \(current.id) became order \(current.orderID ?? 0); it stays won")
        }
        let opportunities = OpportunityRepository(transaction)
        var record = try await opportunities.setStage(id: current.id, to: stage)
        if stage.outcome == "won", settings.createOrderOnWon, record.orderID == nil {
            let lines = try await opportunities.items(of: [record.id])[record.id]?.map(\.item) ?? []
            let order = try await SaleOrderWriter(transaction: transaction).order(for: record, lines: lines)
            if let orderID = Int64(order.id) { record = try await opportunities.link(id: record.id, order: orderID) }
        }
        let opportunity = try await wire(record, in: transaction)
        try await Self.record(
            "opportunity.stage_changed", opportunity, details: ["previous_stage": .string(current.stage)],
            in: transaction)
        if stage.outcome != "open" {
            try await Self.record("opportunity.\(stage.outcome)", opportunity, details: [:], in: transaction)
        }
        return opportunity
    }

    // MARK: - Rules

    /// The opportunity, locked.
    static func locked(_ id: String, in transaction: TenantTransaction) async throws -> OpportunityRecord {
        guard let number = Int64(id),
            let record = try await OpportunityRepository(transaction).find(id: number, forUpdate: true)
        else { throw RPCError(.notFound, "no opportunity \(id)") }
        return record
    }

    /// Line items and term change only while the opportunity is open.
    static func checkOpen(_ opportunity: OpportunityRecord) throws {
        guard opportunity.outcome == "open" else {
            throw ValidationFailure(
                reason: "opportunity_closed", field: "id",
                message: "opportunity \(opportunity.id) is \(opportunity.outcome) (\(opportunity.stage))")
        }
    }

    static func stage(_ name: String, in settings: SalesSettingsRecord) throws -> SalesSettingsRecord.Stage {
        guard let stage = settings.stage(named: name) else {
            throw ValidationFailure(
                reason: "unknown_stage", field: "stage",
                message: "no stage \(name); the stages are \(settings.stages.map(\.name).joined(separator: ", "))")
        }
        return stage
    }

    /// The fields checked: name, dates, order type, and the price book in the currency.
    private static func fields(
        _ fields: OpportunityFields, priceBookID: String?, currency: Currency, in transaction: TenantTransaction
    ) async throws -> OpportunityFields {
        var checked = fields
        checked.name = try FieldRules.name(fields.name, field: "name")
        checked.orderType = try FieldRules.oneOf(
            fields.orderType, ["subscription", "investment", "advertising"], field: "order_type",
            reason: "invalid_type")
        if let end = fields.endDate, end < fields.startDate {
            throw ValidationFailure(
                reason: "end_before_start", field: "end_date",
                message: "the term ends (\(end)) before it starts (\(fields.startDate))")
        }
        checked.priceBookID = nil
        if let id = priceBookID {
            guard let number = Int64(id), let book = try await PriceBookRepository(transaction).find(id: number) else {
                throw RPCError(.notFound, "no price book \(id) (price_book_id)")
            }
            guard book.currency == currency.code else {
                throw ValidationFailure(
                    reason: "currency_mismatch", field: "price_book_id",
                    message: "price book \(book.id) is in \(book.currency), not \(currency.code)")
            }
            checked.priceBookID = book.id
        }
        return checked
    }

    /// Whether a stored line item is what `input` asks for (a scheduled item's quantity is its
    /// schedule's, so any quantity asked matches it).
    private static func answers(_ item: OpportunityItemRecord, _ input: OpportunityItemInput) -> Bool {
        let line = item.item
        return String(line.productID) == input.productId
            && (input.serviceCode == nil || input.serviceCode == line.serviceCode)
            && (item.scheduleType != nil || line.quantity == input.quantity)
            && (line.priceSource == "explicit" ? line.terms.model.unitPrice : nil) == input.unitPrice
            && line.discountPercent == (input.discountPercent ?? .zero)
            && String(line.billingProcessID) == input.billingProcessId && line.startDate == input.startDate
            && line.endDate == input.endDate
    }

    private static func stale(_ opportunity: OpportunityRecord) -> RPCError {
        RPCError(.conflict, "opportunity \(opportunity.id) is at version \(opportunity.version); reload it and retry")
    }

    static func record(
        _ type: String, _ opportunity: Opportunity, details: [String: JSONValue], in transaction: TenantTransaction
    ) async throws {
        try await EventOutbox(transaction).append(
            .wire(type, entity: "opportunity", id: opportunity.id, OpportunityChange(opportunity, details: details)))
    }

    // MARK: - Wire

    static func wire(_ record: OpportunityRecord, in transaction: TenantTransaction) async throws -> Opportunity {
        try await wire([record], in: transaction)[0]
    }

    static func wire(_ records: [OpportunityRecord], in transaction: TenantTransaction) async throws -> [Opportunity] {
        guard !records.isEmpty else { return [] }
        let opportunities = OpportunityRepository(transaction)
        let items = try await opportunities.items(of: records.map(\.id))
        let installments = try await opportunities.installments(
            ofItems: items.values.flatMap { $0.filter { $0.scheduleType != nil }.map(\.id) })
        let orders = try await OrderRepository(transaction).find(ids: records.compactMap(\.orderID))
        let orderDates =
            orders.isEmpty ? [:] : try await BillingTransactionRepository(transaction).nextInvoiceDates(of: orders)
        let today = try await transaction.today()
        return try records.map { record in
            let currency = try Currency(code: record.currency)
            let lines = items[record.id] ?? []
            let total = try Money.sum(lines.compactMap { Money($0.amount, currency: currency)?.minorUnits })
            let scheduled = lines.flatMap { installments[$0.id] ?? [] }.map(\.date).filter { $0 >= today }
            return Opportunity(
                id: String(record.id), externalId: record.externalID, accountId: String(record.accountID),
                name: record.name, currency: record.currency, priceBookId: record.priceBookID.map(String.init),
                stage: record.stage, outcome: record.outcome, closeDate: record.closeDate,
                startDate: record.startDate, endDate: record.endDate, orderType: record.orderType,
                items: try lines.map { try wire($0, installments: installments[$0.id] ?? []) },
                amount: Money(minorUnits: total, currency: currency).description,
                orderId: record.orderID.map(String.init), renewalOfOrderId: record.renewalOfOrderID.map(String.init),
                nextInvoiceDate: record.orderID.map { orderDates[$0] } ?? scheduled.min(),
                version: record.version, createdAt: record.createdAt, updatedAt: record.updatedAt,
                closedAt: record.closedAt)
        }
    }

    static func wire(
        _ item: OpportunityItemRecord, installments: [ScheduleInstallmentRecord]
    ) throws
        -> OpportunityItem
    {
        let line = item.item
        return OpportunityItem(
            id: String(item.id), productId: String(line.productID), serviceCode: line.serviceCode,
            billingProcessId: String(line.billingProcessID), quantity: line.quantity, terms: line.terms,
            priceSource: line.priceSource, priceId: line.priceID.map(String.init),
            discountPercent: line.discountPercent, amount: item.amount, startDate: line.startDate,
            endDate: line.endDate,
            schedule: try item.scheduleType.map { type in
                let request = try OpportunitySchedule.request(item.schedule ?? "{}")
                return ProductScheduleInfo(
                    type: type, quantitySchedule: request.quantitySchedule, revenueSchedule: request.revenueSchedule,
                    installments: installments.map {
                        ScheduleInstallment(date: $0.date, quantity: $0.quantity, revenue: $0.revenue)
                    })
            })
    }
}

/// What an opportunity event tells partners: the opportunity as it now is, and what changed.
struct OpportunityChange: Encodable {
    let opportunity: Opportunity
    let details: [String: JSONValue]

    init(_ opportunity: Opportunity, details: [String: JSONValue]) {
        self.opportunity = opportunity
        self.details = details
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: OrderChange.DynamicKey.self)
        try container.encode(opportunity, forKey: OrderChange.DynamicKey("opportunity"))
        for (key, value) in details { try container.encode(value, forKey: OrderChange.DynamicKey(key)) }
    }
}
