import BillingCore
import Postgres

/// A billing transaction as stored.
public struct BillingTransactionRecord: Sendable, Equatable {
    public var id: Int64
    public var orderID: Int64
    public var orderItemID: Int64
    public var accountID: Int64
    public var key: String
    public var kind: String
    public var billingDate: CalendarDate?
    public var milestone: String?
    public var periodStart: CalendarDate?
    public var periodEnd: CalendarDate?
    public var amount: Money
    public var status: String
    public var invoiceID: Int64?

    static let columns = """
        id, order_id, order_item_id, account_id, key, kind, billing_date::text AS billing_date, milestone,
        period_start::text AS period_start, period_end::text AS period_end, amount::text AS amount, currency, status,
        invoice_id
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        orderID = try row.decode("order_id")
        orderItemID = try row.decode("order_item_id")
        accountID = try row.decode("account_id")
        key = try row.decode("key")
        kind = try row.decode("kind")
        billingDate = try row.decode("billing_date")
        milestone = try row.decode("milestone")
        periodStart = try row.decode("period_start")
        periodEnd = try row.decode("period_end")
        amount = try row.money("amount", of: "billing transaction \(id)")
        status = try row.decode("status")
        invoiceID = try row.decode("invoice_id")
    }
}
