import CLibPQ

/// The rows a statement returned, copied out of libpq, with the server's command tag.
public struct PostgresRows: Sendable, RandomAccessCollection {
    public let columns: [String]
    /// Rows affected by INSERT/UPDATE/DELETE/COPY, or rows returned by SELECT.
    public let affectedRows: Int
    /// The server's command tag without its row count, e.g. `COMMIT`, `ROLLBACK`, `INSERT 0`.
    public let commandTag: String
    private let columnIndex: [String: Int]
    private let values: [String?]

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.isEmpty ? 0 : values.count / columns.count }

    public subscript(position: Int) -> PostgresRow {
        PostgresRow(rows: self, index: position)
    }

    static let empty = PostgresRows(columns: [], values: [], affectedRows: 0)

    private init(columns: [String], values: [String?], affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.affectedRows = affectedRows
        self.commandTag = ""
        self.columnIndex = [:]
    }

    init(result: OpaquePointer) {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [String] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(String(cString: PQfname(result, Int32(column))))
        }
        var values: [String?] = []
        values.reserveCapacity(columnCount * rowCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
        }
        let tuples = PQcmdTuples(result).map { String(cString: $0) } ?? ""
        self.columns = columns
        self.values = values
        self.affectedRows = Int(tuples) ?? rowCount
        self.commandTag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        self.columnIndex = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    fileprivate func text(row: Int, column: String) throws(PostgresError) -> String? {
        guard let index = columnIndex[column] else {
            throw PostgresError(code: .missingColumn, message: "no column \(column) in result")
        }
        return values[row * columns.count + index]
    }
}

/// One row of a result; columns are read by name and converted exactly from their text.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let index: Int

    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        try T.decode(postgresText: rows.text(row: index, column: column), column: column)
    }

}
