import BillingCore
import Postgres

/// A tenant's invoice runs and their progress.
public struct InvoiceRunRepository: Sendable {
    let transaction: TenantTransaction

    public init(_ transaction: TenantTransaction) {
        self.transaction = transaction
    }

    private var connection: PostgresConnection { transaction.connection }

    public func insert(
        targetDate: CalendarDate, invoiceDate: CalendarDate, accountIDs: [Int64]?, autoPost: Bool, billGroup: String?,
        partitions: Int = 1
    ) async throws -> InvoiceRunRecord {
        try await connection.query(
            """
            INSERT INTO invoice_runs (tenant_id, target_date, invoice_date, account_ids, auto_post, bill_group, partitions)
            VALUES (\(transaction.tenantID.rawValue), \(targetDate)::date, \(invoiceDate)::date, \(accountIDs)::bigint[],
                    \(autoPost), \(billGroup), \(partitions))
            RETURNING \(unescaped: InvoiceRunRecord.columns)
            """
        ).map(InvoiceRunRecord.init(row:))[0]
    }

    /// The run a scheduler starts for one occurrence: the target date is the occurrence's day in the
    /// tenant's time zone plus `offsetDays`. Starting it again for the same occurrence returns the
    /// same run, with `created` false.
    public func insertScheduled(
        origin: String, occurrence: String, offsetDays: Int, autoPost: Bool, billGroup: String?, partitions: Int = 1
    ) async throws -> (run: InvoiceRunRecord, created: Bool) {
        let inserted = try await connection.execute(
            """
            INSERT INTO invoice_runs (tenant_id, target_date, invoice_date, auto_post, bill_group, origin, partitions)
            SELECT \(transaction.tenantID.rawValue), local.day + \(offsetDays)::integer, local.day, \(autoPost), \(billGroup),
                   \(origin), \(partitions)
            FROM (SELECT (\(occurrence)::timestamptz AT TIME ZONE timezone)::date AS day
                  FROM tenants WHERE id = current_tenant_id()) AS local
            ON CONFLICT (tenant_id, origin) DO NOTHING
            """
        )
        let run = try await connection.query(
            "SELECT \(unescaped: InvoiceRunRecord.columns) FROM invoice_runs WHERE origin = \(origin)"
        ).map(InvoiceRunRecord.init(row:))[0]
        return (run, inserted == 1)
    }

    public func find(id: Int64, forUpdate: Bool = false) async throws -> InvoiceRunRecord? {
        try await connection.query(
            """
            SELECT \(unescaped: InvoiceRunRecord.columns) FROM invoice_runs WHERE id = \(id)
            \(unescaped: forUpdate ? "FOR NO KEY UPDATE" : "")
            """
        ).first.map(InvoiceRunRecord.init(row:))
    }

    public func list(after: Int64?, limit: Int) async throws -> [InvoiceRunRecord] {
        try await connection.query(
            "SELECT \(unescaped: InvoiceRunRecord.columns) FROM invoice_runs WHERE id > \(after ?? 0) ORDER BY id LIMIT \(limit)"
        ).map(InvoiceRunRecord.init(row:))
    }

    public func markRunning(id: Int64) async throws {
        try await connection.execute(
            """
            UPDATE invoice_runs SET status = 'running', started_at = coalesce(started_at, now()), error = NULL,
                updated_at = now()
            WHERE id = \(id) AND status IN ('queued', 'running', 'failed')
            """
        )
    }

    /// Records a batch of `partition` done: its hierarchies up to `lastRootID`, with what they produced.
    public func advance(
        id: Int64, partition: RunPartition, lastRootID: Int64, documents: Int, transactions: Int,
        totals: [String: Money]
    )
        async throws
    {
        let currencies = totals.keys.sorted()
        let amounts = currencies.map { totals[$0]?.description ?? "0" }
        let whole = partition == .whole
        if !whole {
            try await connection.execute(
                """
                UPDATE invoice_run_partitions SET last_root_id = \(lastRootID)
                WHERE run_id = \(id) AND partition = \(partition.number)
                """
            )
        }
        try await connection.execute(
            """
            UPDATE invoice_runs r SET last_root_id = CASE WHEN \(whole) THEN \(lastRootID) ELSE last_root_id END,
                documents = documents + \(documents),
                transactions = transactions + \(transactions), updated_at = now(),
                amount_total = r.amount_total || coalesce((
                    SELECT jsonb_object_agg(c, (coalesce((r.amount_total->>c)::numeric, 0) + a)::text)
                    FROM unnest(\(currencies)::text[], \(amounts)::numeric[]) AS t(c, a)
                ), '{}')
            WHERE id = \(id)
            """
        )
    }

    /// Records the partitions of a run split into `count` jobs; adding them again changes nothing.
    public func addPartitions(runID: Int64, count: Int) async throws {
        try await connection.execute(
            """
            INSERT INTO invoice_run_partitions (tenant_id, run_id, partition)
            SELECT \(transaction.tenantID.rawValue), \(runID), n FROM generate_series(0, \(count - 1)) AS n
            ON CONFLICT DO NOTHING
            """
        )
    }

    /// Where a partition stands: the last root it finished, and whether it is done.
    public func progress(runID: Int64, partition: Int) async throws -> (lastRootID: Int64, finished: Bool)? {
        try await connection.query(
            """
            SELECT last_root_id, finished_at IS NOT NULL AS finished FROM invoice_run_partitions
            WHERE run_id = \(runID) AND partition = \(partition)
            """
        ).first.map { (try $0.decode("last_root_id"), try $0.decode("finished")) }
    }

    /// Marks a partition done, and the run completed when it was the last. The run's row is locked
    /// before the others are counted, so of two partitions finishing at once the second sees the first.
    public func finishPartition(runID: Int64, partition: Int) async throws {
        try await connection.execute(
            """
            UPDATE invoice_run_partitions SET finished_at = now()
            WHERE run_id = \(runID) AND partition = \(partition) AND finished_at IS NULL
            """
        )
        _ = try await find(id: runID, forUpdate: true)
        let open = try await connection.query(
            "SELECT count(*) AS open FROM invoice_run_partitions WHERE run_id = \(runID) AND finished_at IS NULL"
        ).first?.decode("open", as: Int64.self)
        if open == 0 { try await finish(id: runID, error: nil) }
    }

    public func finish(id: Int64, error: String?) async throws {
        try await connection.execute(
            """
            UPDATE invoice_runs SET status = CASE WHEN \(error)::text IS NULL THEN 'completed' ELSE 'failed' END,
                error = \(error), finished_at = now(), updated_at = now()
            WHERE id = \(id)
            """
        )
    }

    /// The tenant's legal entity as documents name the seller: name, country, VAT number, postal
    /// address (JSON object text).
    public func seller() async throws -> (name: String, country: String, vatNumber: String?, address: String?) {
        let row = try await connection.query(
            """
            SELECT legal_entity_name AS name, legal_entity_country AS country, legal_entity_vat_number AS vat,
                   legal_entity_address::text AS address
            FROM tenants WHERE id = current_tenant_id()
            """
        )[0]
        return (try row.decode("name"), try row.decode("country"), try row.decode("vat"), try row.decode("address"))
    }

    /// The country of the tenant's legal entity: the seller in VAT terms.
    public func sellerCountry() async throws -> String {
        try await connection.query(
            "SELECT legal_entity_country AS country FROM tenants WHERE id = current_tenant_id()")[0]
            .decode("country")
    }
}
