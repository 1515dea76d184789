import BillingCore
import BillingProtocol
import BillingStore

/// Turns requested order items into items to store: checks each against its product and billing
/// process and freezes its price (explicit, or from the one price lookup) for one period of its
/// billing process.
struct OrderItemBuilder {
    let transaction: TenantTransaction
    let account: AccountRecord
    let currency: Currency
    let priceBookID: Int64?
    let orderStart: CalendarDate
    let orderEnd: CalendarDate?
    /// Items added to a running subscription bill on its day, so their periods line up with it.
    let alignedBillingDay: Int?
    /// The account's effective billing day (BILLING.md §1, §10), which every item follows.
    let accountBillingDay: Int?

    static let maximumItems = 500

    /// A billing process of each kind bills services of these kinds.
    private static let serviceKinds: [String: Set<String>] = [
        "recurring": ["recurring"], "one_time": ["one_time"], "installments": ["one_time"],
        "usage": ["usage"],
    ]

    func build(_ inputs: [OrderItemInput]) async throws -> [NewOrderItem] {
        guard (1...Self.maximumItems).contains(inputs.count) else {
            throw ValidationFailure(
                reason: "invalid_item_count", field: "items",
                message: "an order takes between 1 and \(Self.maximumItems) items per call")
        }
        let productIDs = Array(Set(inputs.compactMap { Int64($0.productId) }))
        let products = ProductRepository(transaction)
        try await products.lockForPricing(productIDs)
        let services = try await products.services(of: productIDs)
        let processes = try await BillingProcessRepository(transaction).find(
            ids: inputs.compactMap { Int64($0.billingProcessId) })
        var drafts: [Draft] = []
        for (index, input) in inputs.enumerated() {
            drafts.append(try draft(input, field: "items[\(index)]", services: services, processes: processes))
        }
        let lookedUp = drafts.enumerated().filter { $0.element.explicit == nil }
        let found = try await PriceLookup(transaction: transaction).prices(
            lookedUp.map {
                PriceRepository.Wanted(
                    productID: $0.element.productID, serviceCode: $0.element.serviceCode, day: $0.element.start)
            },
            for: account, currency: currency.code, priceBookID: priceBookID,
            field: { "items[\(lookedUp[$0].offset)]" })
        var prices: [Int: PriceLookup.Found] = [:]
        for (position, match) in zip(lookedUp.map(\.offset), found) { prices[position] = match }
        return drafts.enumerated().map { index, draft in
            var terms = draft.explicit.map { PriceTerms(model: .perUnit(unitPrice: $0), frequency: draft.frequency) }
            var source = "explicit"
            var priceID: Int64?
            if let match = prices[index] {
                terms = draft.frequency.map { match.record.terms.converted(to: $0) } ?? match.record.terms
                source = match.source.rawValue
                priceID = match.record.id
            }
            return NewOrderItem(
                productID: draft.productID, serviceCode: draft.serviceCode, quantity: draft.quantity,
                terms: terms ?? PriceTerms(model: .perUnit(unitPrice: .zero)), priceSource: source, priceID: priceID,
                billingProcessID: draft.process.id, startDate: draft.start, endDate: draft.end,
                serviceDate: draft.serviceDate,
                billingDay: accountBillingDay ?? draft.process.billingDay ?? alignedBillingDay ?? draft.start.day)
        }
    }

    /// An item checked, before its price is looked up.
    private struct Draft {
        let productID: Int64
        let serviceCode: String
        let quantity: Decimal6
        let explicit: Decimal6?
        let process: BillingProcessRecord
        /// The period a recurring price is for.
        let frequency: BillingFrequency?
        let start: CalendarDate
        let end: CalendarDate?
        let serviceDate: CalendarDate?
    }

    private func draft(
        _ input: OrderItemInput, field: String, services: [Int64: [ProductServiceRecord]],
        processes: [Int64: BillingProcessRecord]
    ) throws -> Draft {
        guard let productID = Int64(input.productId), let productServices = services[productID] else {
            throw RPCError(.notFound, "no product \(input.productId) (\(field).product_id)")
        }
        let service: ProductServiceRecord
        if let code = input.serviceCode {
            guard let named = productServices.first(where: { $0.code == code }) else {
                throw ValidationFailure(
                    reason: "unknown_service", field: "\(field).service_code",
                    message: "product \(productID) has no service \(code)")
            }
            service = named
        } else {
            guard productServices.count == 1, let only = productServices.first else {
                throw ValidationFailure(
                    reason: "service_required", field: "\(field).service_code",
                    message: "product \(productID) has several services; name one")
            }
            service = only
        }
        guard input.quantity > .zero else {
            throw ValidationFailure(
                reason: "invalid_quantity", field: "\(field).quantity", message: "the quantity must be more than 0")
        }
        if let price = input.unitPrice, price < .zero {
            throw ValidationFailure(
                reason: "negative_price", field: "\(field).unit_price", message: "a price cannot be negative")
        }
        guard let processID = Int64(input.billingProcessId), let process = processes[processID] else {
            throw ValidationFailure(
                reason: "unknown_billing_process", field: "\(field).billing_process_id",
                message: "no billing process \(input.billingProcessId)")
        }
        guard Self.serviceKinds[process.kind]?.contains(service.kind) == true else {
            throw ValidationFailure(
                reason: "process_mismatch", field: "\(field).billing_process_id",
                message: "a \(process.kind) billing process cannot bill the \(service.kind) service \(service.code)")
        }
        let start = input.startDate ?? orderStart
        let end = input.endDate ?? orderEnd
        if let end, end < start {
            throw ValidationFailure(
                reason: "end_before_start", field: "\(field).end_date",
                message: "the item ends (\(end)) before it starts (\(start))")
        }
        return Draft(
            productID: productID, serviceCode: service.code, quantity: input.quantity, explicit: input.unitPrice,
            process: process, frequency: process.kind == "recurring" ? process.frequency : nil, start: start, end: end,
            serviceDate: input.startDate)
    }
}
