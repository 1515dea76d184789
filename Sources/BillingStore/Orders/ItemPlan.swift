import BillingCore

/// The transactions one order item is to get, with the account they bill: the unit of a bulk
/// write, so many items (of many orders) reach the table in one statement.
public struct ItemPlan: Sendable {
    public let item: OrderItemRecord
    public let accountID: Int64
    public let transactions: [PlannedTransaction]

    public init(item: OrderItemRecord, accountID: Int64, transactions: [PlannedTransaction]) {
        self.item = item
        self.accountID = accountID
        self.transactions = transactions
    }
}
