import CLibPQ

extension PostgresConnection {
    /// Loads rows with `COPY … FROM STDIN` in text format: the bulk path, one round trip for all rows.
    ///
    /// `statement` is the program's own COPY statement (for example
    /// `COPY usage_events (tenant_id, quantity) FROM STDIN`); values are escaped here.
    /// Returns the number of rows the server stored.
    @discardableResult
    public func copyFrom(_ statement: String, rows: [[any PostgresEncodable]]) async throws -> Int {
        try await threadPool.runIfActive {
            try self.runCopy(statement, rows: rows)
        }
    }

    private func runCopy(_ statement: String, rows: [[any PostgresEncodable]]) throws -> Int {
        for row in rows { try Self.refuseNULCharacters(row.map { $0.postgresText }) }
        try sendOpening()
        guard let start = PQexec(handle, statement) else { throw PostgresError.lost(handle) }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            defer { PQclear(start) }
            if PQresultStatus(start) == PGRES_FATAL_ERROR {
                throw PostgresError(result: start, connection: handle)
            }
            throw PostgresError(code: .copyFailed, message: "statement did not start COPY FROM STDIN")
        }
        PQclear(start)

        let chunkSize = 256 * 1024
        var chunk = [UInt8]()
        chunk.reserveCapacity(chunkSize + 4096)
        var sendError: String?
        for row in rows {
            CopyTextFormat.append(row: row, to: &chunk)
            if chunk.count >= chunkSize {
                sendError = putCopyData(chunk)
                chunk.removeAll(keepingCapacity: true)
                if sendError != nil { break }
            }
        }
        if sendError == nil, !chunk.isEmpty {
            sendError = putCopyData(chunk)
        }
        guard PQputCopyEnd(handle, sendError) == 1 else { throw PostgresError.lost(handle) }

        var stored = 0
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                stored = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = PostgresError(result: result, connection: handle)
            }
        }
        if let failure { throw failure }
        if let sendError { throw PostgresError(code: .copyFailed, message: sendError) }
        return stored
    }

    private func putCopyData(_ bytes: [UInt8]) -> String? {
        let sent = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(handle, chars.baseAddress, Int32(chars.count))
            }
        }
        return sent == 1 ? nil : PostgresError.connectionMessage(handle)
    }
}

/// PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes.
enum CopyTextFormat {
    static func append(row: [any PostgresEncodable], to buffer: inout [UInt8]) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let text = value.postgresText else {
                buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
                continue
            }
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }
}
