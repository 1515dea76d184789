import BillingCore
import BillingProtocol
import BillingStore

/// Writes the order a won opportunity or an accepted quote becomes: a new draft order of the
/// opportunity's account, term and type, with each line's price less its discount frozen on it.
struct SaleOrderWriter {
    let transaction: TenantTransaction

    func order(for opportunity: OpportunityRecord, lines: [SaleLine]) async throws -> Order {
        guard !lines.isEmpty else {
            throw ValidationFailure(
                reason: "no_items", field: "id",
                message: "opportunity \(opportunity.id) has no line items to make an order of")
        }
        // Locked, as orders.create locks it: the account cannot close while its order is made.
        let account = try await AccountService.existing(
            String(opportunity.accountID), field: "account_id", AccountRepository(transaction), forUpdate: true)
        try OrderService.checkOpen(account)
        let accountBillingDay = try await OrderService.effectiveBillingDay(of: account, in: transaction)
        let processes = try await BillingProcessRepository(transaction).find(ids: lines.map(\.billingProcessID))
        let items = try lines.enumerated().map { index, line in
            let start = line.startDate ?? opportunity.startDate
            let end = line.endDate ?? opportunity.endDate
            if let end, end < start {
                throw ValidationFailure(
                    reason: "end_before_start", field: "items[\(index)].end_date",
                    message: "the item would end (\(end)) before it starts (\(start))")
            }
            return NewOrderItem(
                productID: line.productID, serviceCode: line.serviceCode, quantity: line.quantity,
                terms: line.discountPercent == .zero
                    ? line.terms : line.terms.adjusted(byPercent: Decimal6(scaled: -line.discountPercent.scaled)),
                priceSource: line.priceSource, priceID: line.priceID, billingProcessID: line.billingProcessID,
                startDate: start, endDate: end, serviceDate: line.startDate,
                billingDay: accountBillingDay ?? processes[line.billingProcessID]?.billingDay ?? start.day)
        }
        let orders = OrderRepository(transaction)
        let record = try await orders.insert(
            NewOrder(
                externalID: nil, accountID: account.id, type: opportunity.orderType, currency: opportunity.currency,
                priceBookID: opportunity.priceBookID, startDate: opportunity.startDate, endDate: opportunity.endDate,
                billingDay: accountBillingDay ?? opportunity.startDate.day, generate: "invoice"))
        _ = try await orders.insertItems(items, orderID: record.id)
        try await AccountRepository(transaction).markBillingActivity(id: account.id)
        let order = try await OrderService.wire(record, in: transaction)
        try await EventOutbox(transaction).append(.wire("order.created", entity: "order", id: order.id, order))
        return order
    }
}
