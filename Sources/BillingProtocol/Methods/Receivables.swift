import BillingCore

/// One entry of an account statement: a document, a payment or a refund, with the running balance.
public struct StatementLine: Codable, Sendable, Equatable {
    public let date: CalendarDate
    /// invoice | credit_note | payment | refund
    public let type: String
    public let id: String
    /// The document's number, or the payment's reference.
    public let reference: String?
    /// Positive what the account owes more (invoices, refunds), negative what it owes less.
    public let amount: String
    public let balance: String

    public init(date: CalendarDate, type: String, id: String, reference: String?, amount: String, balance: String) {
        self.date = date
        self.type = type
        self.id = id
        self.reference = reference
        self.amount = amount
        self.balance = balance
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(date, forKey: .date)
        try container.encode(type, forKey: .type)
        try container.encode(id, forKey: .id)
        try container.encode(reference, forKey: .reference)
        try container.encode(amount, forKey: .amount)
        try container.encode(balance, forKey: .balance)
    }

    enum CodingKeys: String, CodingKey {
        case date, type, id, reference, amount, balance
    }
}

/// `accounts.statement`: what the account owed on `from`, every document, payment and refund to
/// `to`, and what it owed then.
public enum AccountsStatement: RPCMethod {
    public static let name = "accounts.statement"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public var from: CalendarDate
        /// The tenant's today when omitted.
        public var to: CalendarDate?

        public init(id: String, from: CalendarDate, to: CalendarDate? = nil) {
            self.id = id
            self.from = from
            self.to = to
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let accountId: String
        public let currency: String
        public let from: CalendarDate
        public let to: CalendarDate
        /// Owed at the start of `from`.
        public let openingBalance: String
        public let lines: [StatementLine]
        /// Owed at the end of `to`.
        public let closingBalance: String

        public init(
            accountId: String, currency: String, from: CalendarDate, to: CalendarDate, openingBalance: String,
            lines: [StatementLine], closingBalance: String
        ) {
            self.accountId = accountId
            self.currency = currency
            self.from = from
            self.to = to
            self.openingBalance = openingBalance
            self.lines = lines
            self.closingBalance = closingBalance
        }

        enum CodingKeys: String, CodingKey {
            case currency, from, to, lines
            case accountId = "account_id"
            case openingBalance = "opening_balance"
            case closingBalance = "closing_balance"
        }
    }
}

/// What an account (or all, as totals) has open, by days past due.
public struct AgingRow: Codable, Sendable, Equatable {
    /// Null in the totals.
    public let accountId: String?
    public let currency: String
    /// Not due yet (or due today).
    public let current: String
    public let days1To30: String
    public let days31To60: String
    public let days61To90: String
    public let over90: String
    public let total: String

    public init(
        accountId: String?, currency: String, current: String, days1To30: String, days31To60: String,
        days61To90: String, over90: String, total: String
    ) {
        self.accountId = accountId
        self.currency = currency
        self.current = current
        self.days1To30 = days1To30
        self.days31To60 = days31To60
        self.days61To90 = days61To90
        self.over90 = over90
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case currency, current, total
        case accountId = "account_id"
        case days1To30 = "days_1_30"
        case days31To60 = "days_31_60"
        case days61To90 = "days_61_90"
        case over90 = "over_90"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accountId, forKey: .accountId)
        try container.encode(currency, forKey: .currency)
        try container.encode(current, forKey: .current)
        try container.encode(days1To30, forKey: .days1To30)
        try container.encode(days31To60, forKey: .days31To60)
        try container.encode(days61To90, forKey: .days61To90)
        try container.encode(over90, forKey: .over90)
        try container.encode(total, forKey: .total)
    }
}

/// `receivables.aging`: the open invoices' balances by days past due on `as_of`, per account
/// and currency, with totals per currency.
public enum ReceivablesAging: RPCMethod {
    public static let name = "receivables.aging"
    public static let access = MethodAccess.tenantOnly

    public struct Params: Codable, Sendable, Equatable {
        /// The tenant's today when omitted.
        public var asOf: CalendarDate?
        public var accountId: String?

        public init(asOf: CalendarDate? = nil, accountId: String? = nil) {
            self.asOf = asOf
            self.accountId = accountId
        }

        enum CodingKeys: String, CodingKey {
            case asOf = "as_of"
            case accountId = "account_id"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public let asOf: CalendarDate
        public let accounts: [AgingRow]
        public let totals: [AgingRow]

        public init(asOf: CalendarDate, accounts: [AgingRow], totals: [AgingRow]) {
            self.asOf = asOf
            self.accounts = accounts
            self.totals = totals
        }

        enum CodingKeys: String, CodingKey {
            case accounts, totals
            case asOf = "as_of"
        }
    }
}
