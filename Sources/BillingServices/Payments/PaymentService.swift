import BillingCore
import BillingProtocol
import BillingStore

/// Payments: recorded, allocated to invoices (as credit notes are too), unallocated, refunded.
/// An invoice's status follows what is allocated to it: posted, partially_paid, paid.
public struct PaymentService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    static let methods = ["bank_transfer", "card", "direct_debit", "check", "cash", "other"]

    public func record(_ params: PaymentsRecord.Params, tenant: TenantID) async throws -> Payment {
        let method = try FieldRules.oneOf(params.method, Self.methods, field: "method", reason: "invalid_method")
        let reference = try Self.reference(params.reference)
        return try await store.inTenant(tenant) { transaction in
            try await Idempotency.run(
                method: PaymentsRecord.name, key: params.idempotencyKey, params: params, in: transaction
            ) {
                let account = try await AccountService.existing(
                    params.accountId, field: "account_id", AccountRepository(transaction))
                let currency = try Currency(code: params.currency ?? account.currency)
                guard currency.code == account.currency else {
                    throw ValidationFailure(
                        reason: "currency_mismatch", field: "currency",
                        message: "account \(account.id) pays in \(account.currency), not \(currency.code)")
                }
                let amount = try Self.amount(params.amount, currency: currency, field: "amount")
                let record = try await PaymentRepository(transaction).insert(
                    NewPayment(
                        accountID: account.id, amount: amount, method: method, reference: reference,
                        receivedOn: try await transaction.day(params.receivedOn)))
                let payment = try await Self.wire(record, in: transaction)
                try await EventOutbox(transaction).append(
                    .wire("payment.recorded", entity: "payment", id: payment.id, payment))
                return payment
            }
        }
    }

    public func get(_ params: IdentifiedBy, tenant: TenantID) async throws -> Payment {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            try await Self.wire(try await Self.existing(params.id, in: transaction), in: transaction)
        }
    }

    public func list(_ params: PaymentsList.Params, tenant: TenantID) async throws -> Page<Payment> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            var accountID: Int64?
            if let id = params.accountId {
                accountID = try await AccountService.existing(id, field: "account_id", AccountRepository(transaction))
                    .id
            }
            let records = try await PaymentRepository(transaction).list(
                accountID: accountID, after: after, limit: limit + 1)
            let items = try await Self.wire(Array(records.prefix(limit)), in: transaction)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func allocate(_ params: PaymentsAllocate.Params, tenant: TenantID) async throws -> Payment {
        try await store.inTenant(tenant) { transaction in
            let payment = try await Self.existing(params.paymentId, forUpdate: true, in: transaction)
            let account = try await AccountService.existing(
                String(payment.accountID), field: "account_id", AccountRepository(transaction))
            let amounts = try await Allocation(transaction: transaction).check(
                params.allocations, currency: payment.amount.currency, rootID: account.rootID,
                available: payment.unallocated)
            try await PaymentRepository(transaction).allocate(
                payment: payment.id, creditNote: nil, amounts: amounts,
                on: try await transaction.day(params.allocatedOn))
            let allocated = try await Self.wire(
                try await Self.existing(params.paymentId, in: transaction), in: transaction)
            try await EventOutbox(transaction).append(
                .wire("payment.allocated", entity: "payment", id: allocated.id, allocated))
            try await Self.recordPaid(amounts.map(\.invoiceID), in: transaction)
            return allocated
        }
    }

    public func unallocate(_ params: PaymentsUnallocate.Params, tenant: TenantID) async throws -> Payment {
        try await store.inTenant(tenant) { transaction in
            let payment = try await Self.existing(params.paymentId, forUpdate: true, in: transaction)
            guard let invoiceID = Int64(params.invoiceId),
                let invoice = try await InvoiceRepository(transaction).lock(ids: [invoiceID]).first
            else { throw RPCError(.notFound, "no invoice \(params.invoiceId) (invoice_id)") }
            // What paid a voided invoice stays on it: its credit note holds the same amount as credit.
            guard invoice.status != "void" else {
                throw ValidationFailure(
                    reason: "invoice_not_open", field: "invoice_id",
                    message: "invoice \(invoiceID) is void; allocate its credit note instead")
            }
            guard try await PaymentRepository(transaction).unallocate(payment: payment.id, invoice: invoiceID) != nil
            else {
                throw ValidationFailure(
                    reason: "not_allocated", field: "invoice_id",
                    message: "payment \(payment.id) paid nothing of invoice \(invoiceID)")
            }
            let changed = try await Self.wire(
                try await Self.existing(params.paymentId, in: transaction), in: transaction)
            try await EventOutbox(transaction).append(
                .wire("payment.unallocated", entity: "payment", id: changed.id, changed))
            return changed
        }
    }

    public func refund(_ params: PaymentsRefund.Params, tenant: TenantID) async throws -> Payment {
        let reference = try Self.reference(params.reference)
        return try await store.inTenant(tenant) { transaction in
            let payment = try await Self.existing(params.paymentId, forUpdate: true, in: transaction)
            let amount = try Self.amount(params.amount, currency: payment.amount.currency, field: "amount")
            guard amount.minorUnits <= payment.unallocated.minorUnits else {
                throw ValidationFailure(
                    reason: "exceeds_balance", field: "amount",
                    message: "payment \(payment.id) has \(payment.unallocated) unallocated, less than \(amount); "
                        + "unallocate it from invoices first")
            }
            try await PaymentRepository(transaction).refund(
                payment: payment.id, amount: amount, on: try await transaction.day(params.refundedOn),
                reference: reference)
            let refunded = try await Self.wire(
                try await Self.existing(params.paymentId, in: transaction), in: transaction)
            try await EventOutbox(transaction).append(
                .wire("payment.refunded", entity: "payment", id: refunded.id, refunded))
            return refunded
        }
    }

    /// Pays invoices from a posted credit note's credit not applied yet.
    public func allocateCreditNote(_ params: CreditNotesAllocate.Params, tenant: TenantID) async throws -> Invoice {
        try await store.inTenant(tenant) { transaction in
            guard let id = Int64(params.creditNoteId),
                let credit = try await InvoiceRepository(transaction).lock(ids: [id]).first,
                credit.type == "credit_note"
            else { throw RPCError(.notFound, "no credit note \(params.creditNoteId)") }
            let account = try await AccountService.existing(
                String(credit.accountID), field: "account_id", AccountRepository(transaction))
            guard credit.status == "posted" else {
                throw ValidationFailure(
                    reason: "invoice_not_open", field: "credit_note_id",
                    message: "credit note \(credit.id) is \(credit.status)")
            }
            let available = try InvoiceService.balance(of: credit)
            let amounts = try await Allocation(transaction: transaction).check(
                params.allocations, currency: try Currency(code: credit.currency), rootID: account.rootID,
                available: Money(minorUnits: -available.minorUnits, currency: available.currency))
            try await PaymentRepository(transaction).allocate(
                payment: nil, creditNote: credit.id, amounts: amounts,
                on: try await transaction.day(params.allocatedOn))
            guard let updated = try await InvoiceRepository(transaction).find(id: credit.id) else {
                throw RPCError(.notFound, "no credit note \(params.creditNoteId)")
            }
            let wire = try await InvoiceService.wire([updated], in: transaction)[0]
            try await EventOutbox(transaction).append(
                .wire("credit_note.allocated", entity: "invoice", id: wire.id, wire))
            try await Self.recordPaid(amounts.map(\.invoiceID), in: transaction)
            return wire
        }
    }

    // MARK: - Steps

    /// `invoice.paid` for each of these invoices that is paid now.
    static func recordPaid(_ ids: [Int64], in transaction: TenantTransaction) async throws {
        let paid = try await InvoiceRepository(transaction).lock(ids: ids).filter { $0.status == "paid" }
        guard !paid.isEmpty else { return }
        let wires = try await InvoiceService.wire(paid, in: transaction)
        try await EventOutbox(transaction).append(
            try wires.map { try .wire("invoice.paid", entity: "invoice", id: $0.id, $0) })
    }

    private static func existing(
        _ id: String, forUpdate: Bool = false, in transaction: TenantTransaction
    ) async throws -> PaymentRecord {
        guard let number = Int64(id),
            let payment = try await PaymentRepository(transaction).find(id: number, forUpdate: forUpdate)
        else { throw RPCError(.notFound, "no payment \(id)") }
        return payment
    }

    static func amount(_ value: Decimal6, currency: Currency, field: String) throws -> Money {
        guard let amount = Money(value.description, currency: currency), amount.minorUnits > 0 else {
            throw ValidationFailure(
                reason: "invalid_amount", field: field,
                message: "an amount is above 0 with at most \(currency.exponent) decimals")
        }
        return amount
    }

    private static func reference(_ text: String?) throws -> String? {
        guard let text else { return nil }
        guard (1...200).contains(text.unicodeScalars.count) else {
            throw ValidationFailure(
                reason: "invalid_reference", field: "reference", message: "a reference has 1 to 200 characters")
        }
        return text
    }

    static func wire(_ record: PaymentRecord, in transaction: TenantTransaction) async throws -> Payment {
        try await wire([record], in: transaction)[0]
    }

    static func wire(_ records: [PaymentRecord], in transaction: TenantTransaction) async throws -> [Payment] {
        guard !records.isEmpty else { return [] }
        let payments = PaymentRepository(transaction)
        let allocations = try await payments.allocations(ofPayments: records.map(\.id))
        let refunds = try await payments.refunds(ofPayments: records.map(\.id))
        return records.map { record in
            let unallocated = record.unallocated
            let status =
                record.refunded == record.amount
                ? "refunded"
                : unallocated.minorUnits == 0
                    ? "applied" : record.allocated.minorUnits > 0 ? "partially_applied" : "unapplied"
            return Payment(
                id: String(record.id), accountId: String(record.accountID), currency: record.amount.currency.code,
                amount: record.amount.description, method: record.method, reference: record.reference,
                receivedOn: record.receivedOn, allocated: record.allocated.description,
                refunded: record.refunded.description, unallocated: unallocated.description, status: status,
                allocations: (allocations[record.id] ?? []).map {
                    PaymentAllocation(invoiceId: String($0.invoiceID), amount: $0.amount, allocatedOn: $0.allocatedOn)
                },
                refunds: (refunds[record.id] ?? []).map {
                    PaymentRefund(
                        id: String($0.id), amount: $0.amount, refundedOn: $0.refundedOn, reference: $0.reference)
                },
                version: record.version, createdAt: record.createdAt, updatedAt: record.updatedAt)
        }
    }
}
