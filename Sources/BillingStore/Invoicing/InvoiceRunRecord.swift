import BillingCore
import Postgres

/// An invoice run as stored.
public struct InvoiceRunRecord: Sendable, Equatable {
    public var id: Int64
    public var targetDate: CalendarDate
    public var invoiceDate: CalendarDate
    public var accountIDs: [Int64]?
    public var autoPost: Bool
    public var billGroup: String?
    /// How many jobs share the run (`RunPartition`).
    public var partitions: Int
    public var status: String
    public var lastRootID: Int64
    public var documents: Int
    public var transactions: Int
    /// JSON object text: currency → decimal total.
    public var amountTotal: String
    public var error: String?
    public var startedAt: String?
    public var finishedAt: String?
    public var createdAt: String

    static let columns = """
        id, target_date::text AS target_date, invoice_date::text AS invoice_date, account_ids::text AS account_ids,
        auto_post, bill_group, partitions, status, last_root_id, documents, transactions, amount_total::text AS amount_total, error,
        rfc3339(started_at) AS started_at, rfc3339(finished_at) AS finished_at, rfc3339(created_at) AS created_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        targetDate = try row.decode("target_date")
        invoiceDate = try row.decode("invoice_date")
        accountIDs = try row.decode("account_ids", as: String?.self).map { text in
            text.filter { $0 != "{" && $0 != "}" }.split(separator: ",").compactMap { Int64($0) }
        }
        autoPost = try row.decode("auto_post")
        billGroup = try row.decode("bill_group")
        partitions = try row.decode("partitions")
        status = try row.decode("status")
        lastRootID = try row.decode("last_root_id")
        documents = try row.decode("documents")
        transactions = try row.decode("transactions")
        amountTotal = try row.decode("amount_total")
        error = try row.decode("error")
        startedAt = try row.decode("started_at")
        finishedAt = try row.decode("finished_at")
        createdAt = try row.decode("created_at")
    }
}
