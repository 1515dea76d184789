/// The statements one connection has prepared: a statement it has run before is neither parsed nor
/// planned again, which is most of PostgreSQL's work for a short read.
///
/// Only statements with few parameters are kept (multi-row writes vary in length and gain little),
/// and at most `capacity` of them, so the server's memory per connection stays bounded.
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
        guard names.count < Self.capacity, query.binds.count <= Self.maximumBinds else { return nil }
        issued += 1
        return "ledgerline_\(issued)"
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
