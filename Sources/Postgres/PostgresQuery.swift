/// SQL text plus its bound parameters.
///
/// Built by string interpolation, where every interpolated value becomes a `$n` parameter, so a
/// value can never be spliced into the SQL text and SQL injection cannot be written.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    public private(set) var sql: String
    public private(set) var binds: [String?]

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// SQL whose text comes from the program itself (a migration file, a statement built from
    /// constant fragments), with parameters given positionally.
    public init(unsafeSQL sql: String, binds: [any PostgresEncodable] = []) {
        self.sql = sql
        self.binds = binds.map { $0.postgresText }
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql: String
        var binds: [String?]

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresText)
            sql += "$\(binds.count)"
        }

        /// An optional value: NULL when nil.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value.postgresText)
            sql += "$\(binds.count)"
        }

        /// Splices SQL text the program itself owns (a constant column list), never a value: values
        /// always go through the bound form above.
        public mutating func appendInterpolation(unescaped fragment: String) {
            sql += fragment
        }
    }
}
