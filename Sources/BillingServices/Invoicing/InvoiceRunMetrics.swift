import Metrics

/// Invoice run throughput: documents and billed transactions as counters (documents per second is
/// their rate), and how long each committed batch took.
enum InvoiceRunMetrics {
    static func recordBatch(documents: Int, transactions: Int, since started: ContinuousClock.Instant) {
        Counter(label: "ledgerline_invoice_run_documents_total").increment(by: Int64(documents))
        Counter(label: "ledgerline_invoice_run_transactions_total").increment(by: Int64(transactions))
        Timer(label: "ledgerline_invoice_run_batch_duration_seconds")
            .record(duration: ContinuousClock.now - started)
    }
}
