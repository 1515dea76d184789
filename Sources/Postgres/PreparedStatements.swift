/// The statements one connection has prepared: a statement it has run before is neither parsed nor
/// planned again, which is most of PostgreSQL's work for a short read.
///
/// Only statements with few parameters and no array parameter are kept, and at most `capacity` of
/// them, so the server's memory per connection stays bounded. A prepared statement's generic plan
/// assumes an array parameter holds a few elements: a nested loop chosen for ten ids over an
/// invoice run batch of twenty thousand turned its 0.3 s update into 40 s. Array parameters are
/// recognised by their cast (`$1::bigint[]`), which every one of this project's carries.
struct PreparedStatements {
    static let capacity = 256
    static let maximumBinds = 64

    private var names: [String: String] = [:]
    private var issued = 0

    /// The name `sql` was prepared under on this connection, if it was.
    func name(for query: PostgresQuery) -> String? {
        names[query.sql]
    }

    /// A fresh name to prepare `query` under, or nil if it should run unnamed.
    mutating func newName(for query: PostgresQuery) -> String? {
        guard names.count < Self.capacity, query.binds.count <= Self.maximumBinds, !Self.bindsArrays(query.sql)
        else { return nil }
        issued += 1
        return "ledgerline_\(issued)"
    }

    /// Whether a parameter is cast to an array type: `$n::name[]`.
    static func bindsArrays(_ sql: String) -> Bool {
        var rest = Substring(sql)
        while let dollar = rest.firstIndex(of: "$") {
            rest = rest[rest.index(after: dollar)...].drop { $0.isNumber }
            guard rest.hasPrefix("::") else { continue }
            let type = rest.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == " " }
            if !type.isEmpty, rest.dropFirst(2 + type.count).hasPrefix("[]") { return true }
        }
        return false
    }

    /// Records a statement the server confirmed it prepared.
    mutating func remember(_ query: PostgresQuery, as name: String) {
        names[query.sql] = name
    }

    /// Forgets one statement, so that it is prepared again under a new name.
    mutating func forget(_ query: PostgresQuery) {
        names[query.sql] = nil
    }

    /// Forgets every statement (after `DEALLOCATE ALL`).
    mutating func forgetAll() {
        names.removeAll()
    }
}
