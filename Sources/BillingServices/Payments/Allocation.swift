import BillingCore
import BillingProtocol
import BillingStore

/// Checks what a payment or a credit note is to pay of which invoices, under the invoices' row
/// locks: each an open invoice (posted or partially paid) of the same hierarchy, in the source's
/// currency, paid no more than its balance; together no more than the source has left.
struct Allocation {
    let transaction: TenantTransaction

    /// The amounts to allocate, each invoice locked.
    func check(
        _ inputs: [AllocationInput], currency: Currency, rootID: Int64, available: Money
    ) async throws -> [(invoiceID: Int64, amount: Money)] {
        guard (1...100).contains(inputs.count) else {
            throw ValidationFailure(
                reason: "invalid_allocation_count", field: "allocations",
                message: "allocate to 1 to 100 invoices per call")
        }
        var ids: [Int64] = []
        for (index, input) in inputs.enumerated() {
            guard let id = Int64(input.invoiceId) else {
                throw RPCError(.notFound, "no invoice \(input.invoiceId) (allocations[\(index)].invoice_id)")
            }
            guard !ids.contains(id) else {
                throw ValidationFailure(
                    reason: "duplicate_invoice", field: "allocations[\(index)].invoice_id",
                    message: "invoice \(id) is named twice")
            }
            ids.append(id)
        }
        let locked = Dictionary(
            uniqueKeysWithValues: try await InvoiceRepository(transaction).lock(ids: ids).map { ($0.id, $0) })
        let accounts = Dictionary(
            uniqueKeysWithValues: try await AccountRepository(transaction).find(ids: locked.values.map(\.accountID)).map
            {
                ($0.id, $0)
            })
        var amounts: [(invoiceID: Int64, amount: Money)] = []
        var total: Int64 = 0
        for (index, (input, id)) in zip(inputs, ids).enumerated() {
            let field = "allocations[\(index)]"
            guard let invoice = locked[id] else { throw RPCError(.notFound, "no invoice \(id) (\(field).invoice_id)") }
            guard invoice.type == "invoice" else {
                throw ValidationFailure(
                    reason: "not_receivable", field: "\(field).invoice_id",
                    message: "document \(id) is a \(invoice.type); only invoices are paid")
            }
            guard invoice.status == "posted" || invoice.status == "partially_paid" || invoice.status == "paid" else {
                throw ValidationFailure(
                    reason: "invoice_not_open", field: "\(field).invoice_id",
                    message: "invoice \(id) is \(invoice.status)")
            }
            guard invoice.currency == currency.code else {
                throw ValidationFailure(
                    reason: "currency_mismatch", field: "\(field).invoice_id",
                    message: "invoice \(id) is in \(invoice.currency), not \(currency.code)")
            }
            guard accounts[invoice.accountID]?.rootID == rootID else {
                throw ValidationFailure(
                    reason: "other_hierarchy", field: "\(field).invoice_id",
                    message: "invoice \(id) is addressed to an account of another hierarchy")
            }
            guard let amount = Money(input.amount.description, currency: currency), amount.minorUnits > 0 else {
                throw ValidationFailure(
                    reason: "invalid_amount", field: "\(field).amount",
                    message: "an amount is above 0 with at most \(currency.exponent) decimals")
            }
            let balance = try InvoiceService.balance(of: invoice)
            guard amount.minorUnits <= balance.minorUnits else {
                throw ValidationFailure(
                    reason: "exceeds_balance", field: "\(field).amount",
                    message: "invoice \(id) has \(balance) left to pay, less than \(amount)")
            }
            total = try Money.adding(total, amount.minorUnits)
            amounts.append((id, amount))
        }
        guard total <= available.minorUnits else {
            throw ValidationFailure(
                reason: "exceeds_balance", field: "allocations",
                message:
                    "\(Money(minorUnits: total, currency: currency)) is more than the \(available) left to allocate")
        }
        return amounts
    }
}
