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
