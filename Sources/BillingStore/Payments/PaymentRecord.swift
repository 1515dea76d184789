import BillingCore
import Postgres

/// A payment as stored, with what was allocated and refunded of it.
public struct PaymentRecord: Sendable, Equatable {
    public var id: Int64
    public var accountID: Int64
    public var amount: Money
    public var method: String
    public var reference: String?
    public var receivedOn: CalendarDate
    public var allocated: Money
    public var refunded: Money
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    /// What can still be allocated or refunded.
    public var unallocated: Money {
        Money(minorUnits: amount.minorUnits - allocated.minorUnits - refunded.minorUnits, currency: amount.currency)
    }

    static let columns = """
        id, account_id, currency, amount::text AS amount, method, reference, received_on::text AS received_on,
        allocated::text AS allocated, refunded::text AS refunded, version, rfc3339(created_at) AS created_at,
        rfc3339(updated_at) AS updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        accountID = try row.decode("account_id")
        amount = try row.money("amount", of: "payment")
        method = try row.decode("method")
        reference = try row.decode("reference")
        receivedOn = try row.decode("received_on")
        allocated = try row.money("allocated", of: "payment")
        refunded = try row.money("refunded", of: "payment")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}

/// A payment to store.
public struct NewPayment: Sendable, Equatable {
    public var accountID: Int64
    public var amount: Money
    public var method: String
    public var reference: String?
    public var receivedOn: CalendarDate

    public init(accountID: Int64, amount: Money, method: String, reference: String?, receivedOn: CalendarDate) {
        self.accountID = accountID
        self.amount = amount
        self.method = method
        self.reference = reference
        self.receivedOn = receivedOn
    }
}

/// What a payment or a credit note paid of an invoice.
public struct AllocationRecord: Sendable, Equatable {
    public var paymentID: Int64?
    public var creditNoteID: Int64?
    public var invoiceID: Int64
    public var amount: String
    public var allocatedOn: CalendarDate

    static let columns = """
        payment_id, credit_note_id, invoice_id, amount::text AS amount, allocated_on::text AS allocated_on
        """

    init(row: PostgresRow) throws {
        paymentID = try row.decode("payment_id")
        creditNoteID = try row.decode("credit_note_id")
        invoiceID = try row.decode("invoice_id")
        amount = try row.decode("amount")
        allocatedOn = try row.decode("allocated_on")
    }
}

/// A refund of a payment.
public struct RefundRecord: Sendable, Equatable {
    public var id: Int64
    public var paymentID: Int64
    public var amount: String
    public var refundedOn: CalendarDate
    public var reference: String?

    static let columns = """
        id, payment_id, amount::text AS amount, refunded_on::text AS refunded_on, reference
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        paymentID = try row.decode("payment_id")
        amount = try row.decode("amount")
        refundedOn = try row.decode("refunded_on")
        reference = try row.decode("reference")
    }
}
