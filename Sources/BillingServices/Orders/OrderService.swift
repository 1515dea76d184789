import BillingCore
import BillingProtocol
import BillingStore

/// Orders: created with prices frozen from the catalog, activated item by item into billing
/// transactions (BILLING.md §1–5), grown by new items, and terminated with a credit for what was
/// billed but not used.
public struct OrderService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func create(_ params: OrdersCreate.Params, tenant: TenantID) async throws -> Order {
        try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: OrdersCreate.name, key: params.idempotencyKey, params: params, in: transaction
            ) {
                try await create(params, in: transaction)
            }
        }
    }

    private func create(_ params: OrdersCreate.Params, in transaction: TenantTransaction) async throws -> Order {
        let accounts = AccountRepository(transaction)
        let orders = OrderRepository(transaction)
        // Locked: the account's currency cannot change while an order is made in it.
        let account = try await AccountService.existing(
            params.accountId, field: "account_id", accounts, forUpdate: true)
        try Self.checkOpen(account)
        let type = try FieldRules.oneOf(
            params.type, ["subscription", "investment", "advertising"], field: "type", reason: "invalid_type")
        let generate = try FieldRules.oneOf(
            params.generate ?? "invoice", ["invoice", "sales_order", "sales_receipt"], field: "generate",
            reason: "invalid_generate")
        let currency = try Currency(code: params.currency ?? account.currency)
        guard currency.code == account.currency else {
            throw ValidationFailure(
                reason: "currency_mismatch", field: "currency",
                message: "account \(account.id) bills in \(account.currency), not \(currency.code)")
        }
        let bookID = try await Self.priceBook(params.priceBookId, currency: currency, in: transaction)
        if let end = params.endDate, end < params.startDate {
            throw ValidationFailure(
                reason: "end_before_start", field: "end_date",
                message: "the order ends (\(end)) before it starts (\(params.startDate))")
        }
        let accountBillingDay = try await Self.effectiveBillingDay(of: account, in: transaction)
        if type == "subscription", params.newOrder != true,
            let running = try await orders.activeSubscriptions(accountID: account.id, currency: currency.code).first
        {
            let builder = OrderItemBuilder(
                transaction: transaction, account: account, currency: currency,
                priceBookID: bookID ?? running.priceBookID,
                orderStart: params.startDate, orderEnd: params.endDate, alignedBillingDay: running.billingDay,
                accountBillingDay: accountBillingDay)
            let items = try await orders.insertItems(try await builder.build(params.items), orderID: running.id)
            let order = try await recordChange(
                "order.items_added", of: running.id,
                extra: ["item_ids": .array(items.map { .string(String($0.id)) })],
                in: transaction)
            return order.incrementing(String(running.id))
        }
        let record = try await orders.insert(
            NewOrder(
                externalID: try FieldRules.externalID(params.externalId), accountID: account.id, type: type,
                currency: currency.code, priceBookID: bookID, startDate: params.startDate, endDate: params.endDate,
                billingDay: accountBillingDay ?? params.startDate.day, generate: generate))
        let builder = OrderItemBuilder(
            transaction: transaction, account: account, currency: currency, priceBookID: bookID,
            orderStart: record.startDate, orderEnd: record.endDate, alignedBillingDay: nil,
            accountBillingDay: accountBillingDay)
        _ = try await orders.insertItems(try await builder.build(params.items), orderID: record.id)
        try await accounts.markBillingActivity(id: account.id)
        let order = try await Self.wire(record, in: transaction)
        try await EventOutbox(transaction).append(.wire("order.created", entity: "order", id: order.id, order))
        return order
    }

    public func get(_ reference: ObjectReference, tenant: TenantID) async throws -> Order {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let orders = OrderRepository(transaction)
            let record = try await reference.resolve(
                "order", byID: { try await orders.find(id: $0) },
                byExternalID: { try await orders.find(externalID: $0) })
            return try await Self.wire(record, in: transaction)
        }
    }

    public func list(_ params: OrdersList.Params, tenant: TenantID) async throws -> Page<Order> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        let status = try params.status.map {
            try FieldRules.oneOf($0, ["draft", "active", "cancelled"], field: "status", reason: "invalid_status")
        }
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            var accountID: Int64?
            if let id = params.accountId {
                accountID = try await AccountService.existing(id, field: "account_id", AccountRepository(transaction))
                    .id
            }
            let records = try await OrderRepository(transaction).list(
                accountID: accountID, status: status, after: after, limit: limit + 1)
            let items = try await Self.wire(Array(records.prefix(limit)), in: transaction)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func addItems(_ params: OrdersAddItems.Params, tenant: TenantID) async throws -> Order {
        try await store.inTenant(tenant) { transaction in
            let (order, account) = try await Self.openOrder(params.id, in: transaction)
            let accountBillingDay = try await Self.effectiveBillingDay(of: account, in: transaction)
            let builder = OrderItemBuilder(
                transaction: transaction, account: account, currency: try Currency(code: order.currency),
                priceBookID: order.priceBookID, orderStart: order.startDate, orderEnd: order.endDate,
                alignedBillingDay: order.type == "subscription" ? order.billingDay : nil,
                accountBillingDay: accountBillingDay)
            let items = try await OrderRepository(transaction).insertItems(
                try await builder.build(params.items), orderID: order.id)
            return try await recordChange(
                "order.items_added", of: order.id,
                extra: ["item_ids": .array(items.map { .string(String($0.id)) })],
                in: transaction)
        }
    }

    /// Activates the chosen draft items (all when none are named), writing their billing
    /// transactions; items already active are left as they are.
    public func activate(_ params: OrdersActivate.Params, tenant: TenantID) async throws -> Order {
        try await store.inTenant(tenant) { transaction in
            let (order, _) = try await Self.openOrder(params.id, in: transaction)
            let items = try await Self.items(params.itemIds, of: order, in: transaction)
            let drafts = items.filter { $0.status == "draft" }
            guard !drafts.isEmpty else { return try await Self.wire(order, in: transaction) }
            let day = try await transaction.day(params.activationDate)
            return try await Self.activate([order.id: drafts], of: [order], on: day, in: transaction)[0]
        }
    }

    /// Activates every draft item of many orders at once, all or none: the same checks, the same
    /// transactions and events as `activate` of each, in a fixed number of statements.
    public func activateMany(
        _ params: OrdersActivateMany.Params, tenant: TenantID
    ) async throws -> OrdersActivateMany.Result {
        let named = try Self.orderIDs(params.ids)
        return try await store.inTenant(tenant) { transaction in
            let orders = OrderRepository(transaction)
            let found = try await orders.find(ids: named.compactMap(\.number))
            let byID = Dictionary(uniqueKeysWithValues: found.map { ($0.id, $0) })
            for (text, number) in named where number.flatMap({ byID[$0] }) == nil {
                throw RPCError(.notFound, "no order \(text)")
            }
            // Accounts, then orders, each in id order, as openOrder and orders.create lock them.
            let accounts = try await AccountRepository(transaction).lock(ids: Array(Set(found.map(\.accountID))))
            let locked = try await orders.lock(ids: found.map(\.id))
            let closedAccounts = Set(accounts.filter { $0.status == "closed" }.map(\.id))
            for order in Self.inNamedOrder(locked, named) {
                guard order.status != "cancelled" else {
                    throw ValidationFailure(
                        reason: "order_cancelled", field: "ids", message: "order \(order.id) is cancelled")
                }
                guard !closedAccounts.contains(order.accountID) else {
                    throw ValidationFailure(
                        reason: "account_closed", field: "ids",
                        message: "account \(order.accountID) of order \(order.id) is closed")
                }
            }
            let items = try await OrderRepository(transaction).items(of: locked.map(\.id))
            let drafts = items.compactMapValues { items in
                let drafts = items.filter { $0.status == "draft" }
                return drafts.isEmpty ? nil : drafts
            }
            let draftCount = drafts.values.reduce(0) { $0 + $1.count }
            guard draftCount <= Self.maximumItemsActivatedAtOnce else {
                throw ValidationFailure(
                    reason: "too_many_items", field: "ids",
                    message: "these orders have \(draftCount) draft items; activate at most "
                        + "\(Self.maximumItemsActivatedAtOnce) in one call")
            }
            let day = try await transaction.day(params.activationDate)
            let activated = try await Self.activate(
                drafts, of: locked.filter { drafts[$0.id] != nil }, on: day, in: transaction)
            let unchanged = locked.filter { drafts[$0.id] == nil }
            let nextDates =
                unchanged.isEmpty
                ? [:] : try await BillingTransactionRepository(transaction).nextInvoiceDates(of: unchanged)
            var results: [Int64: OrdersActivateMany.ActivatedOrder] = [:]
            for order in activated {
                guard let id = Int64(order.id) else { continue }
                results[id] = .init(
                    id: order.id, status: order.status, version: order.version,
                    activatedItemIds: (drafts[id] ?? []).map { String($0.id) }, nextInvoiceDate: order.nextInvoiceDate)
            }
            for order in locked where results[order.id] == nil {
                results[order.id] = .init(
                    id: String(order.id), status: order.status, version: order.version, activatedItemIds: [],
                    nextInvoiceDate: nextDates[order.id])
            }
            return OrdersActivateMany.Result(orders: named.compactMap { $0.number.flatMap { results[$0] } })
        }
    }

    /// Orders named by one `activate_many` call.
    static let maximumOrdersActivatedAtOnce = 500
    /// Draft items one `activate_many` call may activate, so that its transactions fit in memory.
    static let maximumItemsActivatedAtOnce = 5_000

    /// The ids named, each once ("5" and "05" are one order), in the order named; the number is
    /// nil for one that cannot be an id.
    private static func orderIDs(_ ids: [String]) throws -> [(text: String, number: Int64?)] {
        guard (1...maximumOrdersActivatedAtOnce).contains(ids.count) else {
            throw ValidationFailure(
                reason: "invalid_order_count", field: "ids",
                message: "name 1 to \(maximumOrdersActivatedAtOnce) orders, not \(ids.count)")
        }
        var seen = Set<String>()
        return ids.filter { seen.insert(Int64($0).map(String.init) ?? $0).inserted }.map { ($0, Int64($0)) }
    }

    /// The orders in the order `named` names them.
    private static func inNamedOrder(
        _ orders: [OrderRecord], _ named: [(text: String, number: Int64?)]
    ) -> [OrderRecord] {
        let byID = Dictionary(uniqueKeysWithValues: orders.map { ($0.id, $0) })
        return named.compactMap { $0.number.flatMap { byID[$0] } }
    }

    /// Writes the transactions of the draft items of `orders` (locked, in id order), activates the
    /// items, and records each order's change and its `order.activated` event.
    private static func activate(
        _ drafts: [Int64: [OrderItemRecord]], of orders: [OrderRecord], on day: CalendarDate,
        in transaction: TenantTransaction
    ) async throws -> [Order] {
        let items = orders.flatMap { drafts[$0.id] ?? [] }
        let processes = try await BillingProcessRepository(transaction).find(ids: items.map(\.billingProcessID))
        var plans: [ItemPlan] = []
        var billedThrough: [Int64: CalendarDate] = [:]
        for order in orders {
            let currency = try Currency(code: order.currency)
            for item in drafts[order.id] ?? [] {
                guard let process = processes[item.billingProcessID] else { continue }
                let plan = try ItemBiller.plan(item, process: process, currency: currency, activation: day)
                plans.append(ItemPlan(item: item, accountID: order.accountID, transactions: plan.transactions))
                billedThrough[item.id] = plan.billedThrough
            }
        }
        try await BillingTransactionRepository(transaction).add(plans, itemsAreNew: true)
        try await OrderRepository(transaction).activate(itemIDs: items.map(\.id), on: day, billedThrough: billedThrough)
        let touched = try await OrderRepository(transaction).touch(ids: orders.map(\.id), activating: true)
        let activated = try await wire(touched, in: transaction)
        try await EventOutbox(transaction).append(
            try zip(touched, activated).map { record, order in
                try .wire(
                    "order.activated", entity: "order", id: order.id,
                    OrderChange(
                        order: order,
                        details: ["item_ids": .array((drafts[record.id] ?? []).map { .string(String($0.id)) })]))
            })
        return activated
    }

    /// Ends active items on `end_date`: later transactions are cancelled (or credited, once
    /// invoiced), the period containing the end is cut short (or its unused days credited).
    public func terminateItems(_ params: OrdersTerminateItems.Params, tenant: TenantID) async throws -> Order {
        try await store.inTenant(tenant) { transaction in
            let (order, _) = try await Self.openOrder(params.id, in: transaction)
            let named = try await Self.items(params.itemIds, of: order, in: transaction)
            try await OrderRepository(transaction).lockItems(named.map(\.id))
            let items = try await Self.items(params.itemIds, of: order, in: transaction)
            let end = params.endDate
            for item in items {
                guard item.status == "active" else {
                    throw ValidationFailure(
                        reason: "item_not_active", field: "item_ids", message: "item \(item.id) is \(item.status)")
                }
                guard end >= item.startDate else {
                    throw ValidationFailure(
                        reason: "end_before_start", field: "end_date",
                        message: "item \(item.id) starts on \(item.startDate), after \(end)")
                }
                if let current = item.endDate, end > current {
                    throw ValidationFailure(
                        reason: "end_after_item_end", field: "end_date",
                        message: "item \(item.id) already ends on \(current)")
                }
            }
            let processes = try await BillingProcessRepository(transaction).find(ids: items.map(\.billingProcessID))
            let currency = try Currency(code: order.currency)
            for item in items {
                guard let process = processes[item.billingProcessID] else { continue }
                try await ItemTermination(transaction: transaction).terminate(
                    item, process: process, accountID: order.accountID, currency: currency, on: end)
            }
            try await OrderRepository(transaction).terminate(itemIDs: items.map(\.id), endingOn: end)
            let terminated = try await Self.wire(
                try await OrderRepository(transaction).touch(id: order.id), in: transaction)
            try await EventOutbox(transaction).append(
                try items.map { item in
                    try .wire(
                        "order.item_terminated", entity: "order", id: terminated.id,
                        OrderChange(
                            order: terminated,
                            details: ["item_id": .string(String(item.id)), "end_date": .string(end.description)]))
                })
            return terminated
        }
    }

    /// Withdraws a draft order: none of its items may be active.
    public func cancel(_ params: OrdersCancel.Params, tenant: TenantID) async throws -> Order {
        try await store.inTenant(tenant) { transaction in
            let (order, _) = try await Self.openOrder(params.id, requiringOpenAccount: false, in: transaction)
            let items = try await OrderRepository(transaction).items(of: [order.id])[order.id] ?? []
            guard order.status == "draft", items.allSatisfy({ $0.status == "draft" }) else {
                throw ValidationFailure(
                    reason: "order_active", field: "id",
                    message: "order \(order.id) has active items; terminate them instead")
            }
            try await OrderRepository(transaction).cancel(id: order.id)
            return try await recordChange(
                "order.cancelled", of: order.id, extra: [:], in: transaction)
        }
    }

    /// Dates the item's installments that wait for `milestone`.
    public func reachMilestone(_ params: OrdersReachMilestone.Params, tenant: TenantID) async throws -> Order {
        try await store.inTenant(tenant) { transaction in
            guard let itemID = Int64(params.itemId),
                let found = try await OrderRepository(transaction).item(id: itemID, forUpdate: false)
            else { throw RPCError(.notFound, "no order item \(params.itemId)") }
            // The account and the order before the item, as every order change locks them.
            _ = try await Self.openOrder(String(found.orderID), in: transaction)
            guard let item = try await OrderRepository(transaction).item(id: itemID) else {
                throw RPCError(.notFound, "no order item \(params.itemId)")
            }
            let day = try await transaction.day(params.date)
            let reached = try await BillingTransactionRepository(transaction).reach(
                milestone: params.milestone, itemID: item.id, on: day)
            guard reached > 0 else {
                throw ValidationFailure(
                    reason: "unknown_milestone", field: "milestone",
                    message: "item \(item.id) has no pending installment waiting for \(params.milestone)")
            }
            return try await recordChange(
                "order.milestone_reached", of: item.orderID,
                extra: [
                    "item_id": .string(String(item.id)), "milestone": .string(params.milestone),
                    "date": .string(day.description),
                ],
                in: transaction)
        }
    }

    /// Extends every open-ended recurring item of the tenant to the rolling horizon seen from
    /// today: what the daily `orders.extend_horizon` job runs. Returns the transactions added.
    public static func extendHorizons(in transaction: TenantTransaction) async throws -> Int {
        let today = try await transaction.today()
        let orders = OrderRepository(transaction)
        var added = 0
        while true {
            let items = try await orders.itemsToExtend(before: ItemBiller.horizon(from: today), limit: 500)
            guard !items.isEmpty else { return added }
            let processes = try await BillingProcessRepository(transaction).find(ids: items.map(\.billingProcessID))
            for item in items {
                guard let process = processes[item.billingProcessID],
                    let order = try await orders.find(id: item.orderID)
                else { continue }
                added += try await ItemBiller(transaction: transaction).extend(
                    item, process: process, order: order, today: today)
            }
        }
    }

    // MARK: - Steps and rules

    private func recordChange(
        _ type: String, of orderID: Int64, extra: [String: JSONValue],
        in transaction: TenantTransaction
    ) async throws -> Order {
        let record = try await OrderRepository(transaction).touch(id: orderID)
        let order = try await Self.wire(record, in: transaction)
        try await EventOutbox(transaction).append(
            .wire(type, entity: "order", id: order.id, OrderChange(order: order, details: extra)))
        return order
    }

    /// An order that can still change: not cancelled, of an account that is not closed.
    private static func openOrder(
        _ id: String, requiringOpenAccount: Bool = true, in transaction: TenantTransaction
    ) async throws
        -> (OrderRecord, AccountRecord)
    {
        let orders = OrderRepository(transaction)
        guard let number = Int64(id), let unlocked = try await orders.find(id: number) else {
            throw RPCError(.notFound, "no order \(id)")
        }
        // The account first, then the order, as orders.create locks them: the other way round, an
        // order change and a subscription orders.create of its account would wait on each other.
        // Locked, so the account cannot close while its order changes (accounts.close locks it too);
        // an order never changes its account, so the one read unlocked is the one to lock.
        let account = try await AccountService.existing(
            String(unlocked.accountID), field: "account_id", AccountRepository(transaction), forUpdate: true)
        guard let order = try await orders.find(id: number, forUpdate: true) else {
            throw RPCError(.notFound, "no order \(id)")
        }
        guard order.status != "cancelled" else {
            throw ValidationFailure(reason: "order_cancelled", field: "id", message: "order \(order.id) is cancelled")
        }
        if requiringOpenAccount { try checkOpen(account) }
        return (order, account)
    }

    /// The named items of the order (all of them when none are named).
    private static func items(
        _ ids: [String]?, of order: OrderRecord, in transaction: TenantTransaction
    ) async throws
        -> [OrderItemRecord]
    {
        let all = try await OrderRepository(transaction).items(of: [order.id])[order.id] ?? []
        guard let ids else { return all }
        guard !ids.isEmpty else {
            throw ValidationFailure(reason: "no_items", field: "item_ids", message: "name at least one item")
        }
        var seen = Set<String>()
        return try ids.filter { seen.insert($0).inserted }.map { id in
            guard let item = all.first(where: { String($0.id) == id }) else {
                throw ValidationFailure(
                    reason: "unknown_item", field: "item_ids", message: "order \(order.id) has no item \(id)")
            }
            return item
        }
    }

    /// The billing day the account's hierarchy sets for it (BILLING.md §10), if any.
    static func effectiveBillingDay(
        of account: AccountRecord, in transaction: TenantTransaction
    ) async throws -> Int? {
        let chain = try await AccountRepository(transaction).chain(endingAt: account.id)
        return HierarchyResolution.effective(alongChain: chain.map(\.node))?.billingDay
    }

    static func checkOpen(_ account: AccountRecord) throws {
        guard account.status != "closed" else {
            throw ValidationFailure(
                reason: "account_closed", field: "account_id", message: "account \(account.id) is closed")
        }
    }

    private static func priceBook(
        _ id: String?, currency: Currency, in transaction: TenantTransaction
    ) async throws
        -> Int64?
    {
        guard let id else { return nil }
        guard let number = Int64(id), let book = try await PriceBookRepository(transaction).find(id: number) else {
            throw RPCError(.notFound, "no price book \(id) (price_book_id)")
        }
        guard book.currency == currency.code else {
            throw ValidationFailure(
                reason: "currency_mismatch", field: "price_book_id",
                message: "price book \(book.id) is in \(book.currency), not \(currency.code)")
        }
        return book.id
    }

    static func wire(_ record: OrderRecord, in transaction: TenantTransaction) async throws -> Order {
        try await wire([record], in: transaction)[0]
    }

    static func wire(_ records: [OrderRecord], in transaction: TenantTransaction) async throws -> [Order] {
        let ids = records.map(\.id)
        let items = try await OrderRepository(transaction).items(of: ids)
        let next = try await BillingTransactionRepository(transaction).nextInvoiceDates(of: records)
        return records.map { record in
            Order(
                id: String(record.id), externalId: record.externalID, accountId: String(record.accountID),
                type: record.type, currency: record.currency, priceBookId: record.priceBookID.map(String.init),
                startDate: record.startDate, endDate: record.endDate, billingDay: record.billingDay,
                generate: record.generate, status: record.status,
                items: (items[record.id] ?? []).map(wire), nextInvoiceDate: next[record.id], version: record.version,
                createdAt: record.createdAt, updatedAt: record.updatedAt, activatedAt: record.activatedAt)
        }
    }

    static func wire(_ item: OrderItemRecord) -> OrderItem {
        OrderItem(
            id: String(item.id), productId: String(item.productID), serviceCode: item.serviceCode,
            quantity: item.quantity, terms: item.terms, priceSource: item.priceSource,
            priceId: item.priceID.map(String.init), billingProcessId: String(item.billingProcessID),
            startDate: item.startDate, endDate: item.endDate, serviceDate: item.serviceDate,
            billingDay: item.billingDay,
            status: item.status)
    }
}

/// What an order event tells partners: the order as it now is, and what the change touched.
struct OrderChange: Encodable {
    let order: Order
    let details: [String: JSONValue]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(order, forKey: DynamicKey("order"))
        for (key, values) in details { try container.encode(values, forKey: DynamicKey(key)) }
    }

    struct DynamicKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
