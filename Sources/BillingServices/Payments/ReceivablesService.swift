import BillingCore
import BillingProtocol
import BillingStore

/// What accounts owe: statements (opening balance, documents, payments, refunds, closing
/// balance) and the aging of open invoices by days past due.
public struct ReceivablesService: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func statement(_ params: AccountsStatement.Params, tenant: TenantID) async throws -> AccountsStatement.Result
    {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            let account = try await AccountService.existing(params.id, field: "id", AccountRepository(transaction))
            let currency = try Currency(code: account.currency)
            let to = try await transaction.day(params.to)
            guard to >= params.from else {
                throw ValidationFailure(
                    reason: "end_before_start", field: "to", message: "the statement ends (\(to)) before it starts")
            }
            let (before, entries) = try await ReceivablesRepository(transaction).statement(
                accountID: account.id, from: params.from, to: to)
            let opening = try Self.money(before, currency)
            var balance = opening.minorUnits
            var lines: [StatementLine] = []
            for entry in entries {
                let amount = try Self.money(entry.amount, currency)
                balance = try Money.adding(balance, amount.minorUnits)
                lines.append(
                    StatementLine(
                        date: entry.date, type: entry.kind, id: String(entry.id), reference: entry.reference,
                        amount: amount.description, balance: Money(minorUnits: balance, currency: currency).description)
                )
            }
            return .init(
                accountId: String(account.id), currency: currency.code, from: params.from, to: to,
                openingBalance: opening.description, lines: lines,
                closingBalance: Money(minorUnits: balance, currency: currency).description)
        }
    }

    public func aging(_ params: ReceivablesAging.Params, tenant: TenantID) async throws -> ReceivablesAging.Result {
        try await store.inTenant(tenant, isolation: .repeatableRead) { transaction in
            var accountID: Int64?
            if let id = params.accountId {
                accountID = try await AccountService.existing(id, field: "account_id", AccountRepository(transaction))
                    .id
            }
            let asOf = try await transaction.day(params.asOf)
            let rows = try await ReceivablesRepository(transaction).aging(asOf: asOf, accountID: accountID)
            var accounts: [AgingRow] = []
            var totals: [String: [Int64]] = [:]
            for row in rows {
                let currency = try Currency(code: row.currency)
                let buckets = try [row.current, row.days1To30, row.days31To60, row.days61To90, row.over90, row.total]
                    .map { try Self.money($0 ?? "0", currency) }
                accounts.append(Self.row(String(row.accountID), currency, buckets))
                totals[row.currency] = try zip(totals[row.currency] ?? Array(repeating: 0, count: 6), buckets).map {
                    try Money.adding($0, $1.minorUnits)
                }
            }
            return .init(
                asOf: asOf, accounts: accounts,
                totals: try totals.keys.sorted().map { code in
                    let currency = try Currency(code: code)
                    return Self.row(
                        nil, currency, (totals[code] ?? []).map { Money(minorUnits: $0, currency: currency) })
                })
        }
    }

    private static func row(_ accountID: String?, _ currency: Currency, _ buckets: [Money]) -> AgingRow {
        AgingRow(
            accountId: accountID, currency: currency.code, current: buckets[0].description,
            days1To30: buckets[1].description, days31To60: buckets[2].description, days61To90: buckets[3].description,
            over90: buckets[4].description, total: buckets[5].description)
    }

    private static func money(_ text: String, _ currency: Currency) throws -> Money {
        guard let value = Money(text, currency: currency) else { throw MoneyOverflow() }
        return value
    }
}
