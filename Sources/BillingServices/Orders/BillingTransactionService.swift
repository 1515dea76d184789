import BillingCore
import BillingProtocol
import BillingStore

/// The billing transactions orders produced: the forecast of what will be invoiced.
public struct BillingTransactionService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func list(
        _ params: BillingTransactionsList.Params, tenant: TenantID
    ) async throws -> Page<BillingTransaction> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        let status = try params.status.map {
            try FieldRules.oneOf($0, ["pending", "invoiced", "cancelled"], field: "status", reason: "invalid_status")
        }
        return try await store.inTenant(tenant) { transaction in
            let accountID = try await IDFilter.existing(params.accountId, "account") {
                try await AccountRepository(transaction).find(id: $0) != nil
            }
            let orderID = try await IDFilter.existing(params.orderId, "order") {
                try await OrderRepository(transaction).find(id: $0) != nil
            }
            let records = try await BillingTransactionRepository(transaction).list(
                accountID: accountID, orderID: orderID,
                from: params.from,
                to: params.to, status: status, after: after, limit: limit + 1)
            let items = records.prefix(limit).map(Self.wire)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    static func wire(_ record: BillingTransactionRecord) -> BillingTransaction {
        BillingTransaction(
            id: String(record.id), orderId: String(record.orderID), orderItemId: String(record.orderItemID),
            accountId: String(record.accountID), billingDate: record.billingDate, milestone: record.milestone,
            periodStart: record.periodStart, periodEnd: record.periodEnd, amount: record.amount.description,
            currency: record.amount.currency.code, kind: record.kind, status: record.status,
            invoiceId: record.invoiceID.map(String.init))
    }
}
