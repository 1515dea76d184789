import BillingCore
import Postgres

/// NUMERIC columns are read and written as exact text.
extension Decimal6: PostgresNonNullDecodable, PostgresEncodable {
    public init?(postgresValue text: String) { self.init(text) }
    public var postgresText: String? { description }
}

/// DATE columns as `YYYY-MM-DD` (the server's default ISO DateStyle).
extension CalendarDate: PostgresNonNullDecodable, PostgresEncodable {
    public init?(postgresValue text: String) { self.init(text) }
    public var postgresText: String? { description }
}

extension PostgresRow {
    /// An amount stored as numeric text next to its currency's code.
    func money(_ column: String, currencyColumn: String = "currency", of owner: String) throws -> Money {
        let currency = try Currency(code: try decode(currencyColumn))
        let text: String = try decode(column)
        guard let amount = Money(text, currency: currency) else {
            throw PostgresError(code: .decodingFailed, message: "\(owner) has amount \(text)")
        }
        return amount
    }
}
