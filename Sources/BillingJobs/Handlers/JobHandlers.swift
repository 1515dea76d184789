/// The handlers of every job kind this version runs.
public enum JobHandlers {
    public static let all: [any JobHandler] = [
        IdempotencyKeyPurge(), OrderHorizonExtension(), InvoiceRunJob(), InvoiceRunPartitionJob(),
        ScheduledInvoiceRun(), RenewalScan(), EventRetentionPurge(), JobRetentionPurge(),
    ]
}
