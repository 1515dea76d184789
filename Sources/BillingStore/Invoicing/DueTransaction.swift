import BillingCore
import Postgres

/// A pending billing transaction due in an invoice run, with what its line needs: the item's
/// quantity and price, the product and service names, the service's tax category and the order's
/// document type.
public struct DueTransaction: Sendable, Equatable {
    public var id: Int64
    public var accountID: Int64
    public var rootID: Int64
    public var kind: String
    public var amount: Money
    public var periodStart: CalendarDate?
    public var periodEnd: CalendarDate?
    public var quantity: Decimal6
    public var unitPrice: Decimal6?
    public var productName: String
    public var serviceName: String
    /// The name of the account the transaction is of (usage lines name it).
    public var accountName: String
    public var taxCategory: String
    /// invoice | sales_order | sales_receipt
    public var generate: String

    /// A line not yet billed, e.g. to estimate a quote's tax as its invoice will compute it.
    public init(
        id: Int64, accountID: Int64, rootID: Int64, kind: String, amount: Money, periodStart: CalendarDate?,
        periodEnd: CalendarDate?, quantity: Decimal6, unitPrice: Decimal6?, productName: String, serviceName: String,
        accountName: String = "", taxCategory: String, generate: String
    ) {
        self.id = id
        self.accountID = accountID
        self.rootID = rootID
        self.kind = kind
        self.amount = amount
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.productName = productName
        self.serviceName = serviceName
        self.accountName = accountName
        self.taxCategory = taxCategory
        self.generate = generate
    }

    static let columns = """
        t.id, t.account_id, a.root_id, t.kind, t.amount::text AS amount, t.currency, t.period_start::text AS period_start,
        t.period_end::text AS period_end, coalesce(t.quantity, i.quantity)::text AS quantity, i.unit_price::text AS unit_price,
        p.name AS product_name, s.name AS service_name, a.name AS account_name, s.tax_category, o.generate
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        accountID = try row.decode("account_id")
        rootID = try row.decode("root_id")
        kind = try row.decode("kind")
        amount = try row.money("amount", of: "billing transaction \(id)")
        periodStart = try row.decode("period_start")
        periodEnd = try row.decode("period_end")
        quantity = try row.decode("quantity")
        unitPrice = try row.decode("unit_price")
        productName = try row.decode("product_name")
        serviceName = try row.decode("service_name")
        accountName = try row.decode("account_name")
        taxCategory = try row.decode("tax_category")
        generate = try row.decode("generate")
    }
}
