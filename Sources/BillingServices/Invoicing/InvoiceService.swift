import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Documents: listed, read, posted (numbered) and voided (credited).
public struct InvoiceService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func list(_ params: InvoicesList.Params, tenant: TenantID) async throws -> Page<Invoice> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        let status = try params.status.map {
            try FieldRules.oneOf(
                $0, ["draft", "posted", "partially_paid", "paid", "void"], field: "status", reason: "invalid_status")
        }
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let accountID = try await IDFilter.existing(params.accountId, "account") {
                try await AccountRepository(transaction).find(id: $0) != nil
            }
            let runID = try await IDFilter.existing(params.runId, "invoice run") {
                try await InvoiceRunRepository(transaction).find(id: $0) != nil
            }
            let records = try await InvoiceRepository(transaction).list(
                accountID: accountID, runID: runID,
                status: status, after: after, limit: limit + 1)
            let items = try await Self.wire(Array(records.prefix(limit)), in: transaction)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func get(_ params: IdentifiedBy, tenant: TenantID) async throws -> Invoice {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            try await Self.wire([try await Self.existing(params.id, in: transaction)], in: transaction)[0]
        }
    }

    public func post(_ params: IdentifiedBy, tenant: TenantID) async throws -> Invoice {
        try await store.inTenant(tenant) { transaction in
            let invoice = try await Self.existing(params.id, in: transaction, forUpdate: true)
            guard invoice.status == "draft" else {
                throw ValidationFailure(
                    reason: "not_draft", field: "id", message: "invoice \(invoice.id) is \(invoice.status)")
            }
            let posted = try await InvoicePosting(transaction: transaction).post(invoice.id)
            let wire = try await Self.wire([posted], in: transaction)[0]
            try await EventOutbox(transaction).append(
                .wire(
                    "invoice.posted", entity: "invoice",
                    id: wire.id, wire))
            return wire
        }
    }

    public func void(_ params: IdentifiedBy, tenant: TenantID) async throws -> InvoicesVoid.Result {
        try await store.inTenant(tenant) { transaction in
            let invoice = try await Self.existing(params.id, in: transaction, forUpdate: true)
            guard invoice.status != "void", invoice.type != "credit_note" else {
                throw ValidationFailure(
                    reason: "not_voidable", field: "id",
                    message: invoice.type == "credit_note"
                        ? "document \(invoice.id) is a credit note; credit notes are not voided"
                        : "document \(invoice.id) is already void")
            }
            let today = try await transaction.today()
            let (voided, credit) = try await InvoicePosting(transaction: transaction).void(invoice, on: today)
            let wires = try await Self.wire([voided] + (credit.map { [$0] } ?? []), in: transaction)
            var events: [NewEvent] = [try .wire("invoice.voided", entity: "invoice", id: wires[0].id, wires[0])]
            if wires.count > 1 {
                events.append(try .wire("credit_note.posted", entity: "invoice", id: wires[1].id, wires[1]))
            }
            try await EventOutbox(transaction).append(events)
            return .init(invoice: wires[0], creditNote: wires.count > 1 ? wires[1] : nil)
        }
    }

    private static func existing(
        _ id: String, in transaction: TenantTransaction, forUpdate: Bool = false
    ) async throws -> InvoiceRecord {
        guard let number = Int64(id),
            let invoice = try await InvoiceRepository(transaction).find(id: number, forUpdate: forUpdate)
        else { throw RPCError(.notFound, "no invoice \(id)") }
        return invoice
    }

    /// What is left to pay of a posted invoice; a posted credit note's credit not applied yet
    /// (negative); zero for any other document.
    static func balance(of record: InvoiceRecord) throws -> Money {
        let currency = try Currency(code: record.currency)
        let open =
            (record.type == "invoice" && ["posted", "partially_paid", "paid"].contains(record.status))
            || (record.type == "credit_note" && record.status == "posted")
        guard open else { return .zero(currency) }
        let total = try money(record.total, record.currency)
        let allocated = try money(record.amountAllocated, record.currency)
        // A credit note's total is negative: what was applied of it brings it towards zero.
        let left =
            record.type == "credit_note"
            ? total.minorUnits + allocated.minorUnits : total.minorUnits - allocated.minorUnits
        return Money(minorUnits: left, currency: currency)
    }

    static func money(_ text: String, _ code: String) throws -> Money {
        guard let value = Money(text, currency: try Currency(code: code)) else { throw MoneyOverflow() }
        return value
    }

    struct StoredTax: Decodable {
        let category: String
        let rate: Decimal6
        let base: String
        let amount: String
    }

    struct StoredRate: Decodable {
        let rate: Decimal6
    }

    static func wire(_ records: [InvoiceRecord], in transaction: TenantTransaction) async throws -> [Invoice] {
        let lines = try await InvoiceRepository(transaction).lines(of: records.map(\.id))
        let decoder = JSONDecoder()
        return try records.map { record in
            Invoice(
                id: String(record.id), number: record.number, type: record.type, status: record.status,
                accountId: String(record.accountID), currency: record.currency, invoiceDate: record.invoiceDate,
                dueDate: record.dueDate,
                lines: try (lines[record.id] ?? []).map { line in
                    InvoiceLine(
                        description: line.description, periodStart: line.periodStart, periodEnd: line.periodEnd,
                        quantity: line.quantity, unitPrice: line.unitPrice, amount: line.amount,
                        taxCategory: line.taxCategory,
                        taxRate: try decoder.decode([StoredRate].self, from: Data(line.taxRates.utf8)).first?.rate)
                },
                subtotal: record.subtotal, taxTotal: record.taxTotal, total: record.total,
                taxBreakdown: try decoder.decode([StoredTax].self, from: Data(record.taxBreakdown.utf8)).map {
                    TaxBreakdownRow(category: $0.category, rate: $0.rate, base: $0.base, amount: $0.amount)
                },
                notes: try decoder.decode([String].self, from: Data(record.notes.utf8)),
                amountAllocated: try Self.money(record.amountAllocated, record.currency).description,
                balance: try Self.balance(of: record).description, runId: record.runID.map(String.init),
                creditedInvoiceId: record.creditedInvoiceID.map(String.init),
                postedAt: record.postedAt, createdAt: record.createdAt, updatedAt: record.updatedAt)
        }
    }
}
