import CLibPQ

extension PostgresConnection {
    /// Sends many statements before reading any answer (libpq pipeline mode): one round trip for the
    /// batch instead of one per statement.
    ///
    /// The batch ends with a single sync, so outside an explicit transaction it is atomic: if one
    /// statement fails, the ones before it are rolled back, the ones after it are skipped, and the
    /// first failure is thrown. Results come back in the order of `queries`.
    public func pipeline(_ queries: [PostgresQuery]) async throws -> [PostgresRows] {
        try await threadPool.runIfActive {
            try self.runPipeline(queries)
        }
    }

    private func runPipeline(_ queries: [PostgresQuery]) throws -> [PostgresRows] {
        for query in queries { try Self.refuseNULCharacters(query.binds) }
        guard PQenterPipelineMode(handle) == 1 else { throw PostgresError.lost(handle) }
        defer { _ = PQexitPipelineMode(handle) }

        PQsetnonblocking(handle, 1)
        for (index, query) in queries.enumerated() {
            let sent = withOptionalCStrings(query.binds) { values in
                PQsendQueryParams(handle, query.sql, Int32(values.count), nil, values, nil, nil, 0)
            }
            guard sent == 1 else {
                PQsetnonblocking(handle, 0)
                throw PostgresError.lost(handle)
            }
            if index % 256 == 255 { try flushOutput() }
        }
        guard PQpipelineSync(handle) == 1 else {
            PQsetnonblocking(handle, 0)
            throw PostgresError.lost(handle)
        }
        try flushOutput()
        PQsetnonblocking(handle, 0)

        var results: [PostgresRows] = []
        results.reserveCapacity(queries.count)
        var firstFailure: PostgresError?
        for _ in queries {
            var rows = PostgresRows.empty
            while let result = PQgetResult(handle) {
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                    rows = PostgresRows(result: result)
                case PGRES_PIPELINE_ABORTED:
                    break
                default:
                    if firstFailure == nil { firstFailure = PostgresError(result: result, connection: handle) }
                }
            }
            results.append(rows)
        }
        guard let sync = PQgetResult(handle) else { throw PostgresError.lost(handle) }
        let syncStatus = PQresultStatus(sync)
        PQclear(sync)
        guard syncStatus == PGRES_PIPELINE_SYNC else { throw PostgresError.lost(handle) }
        if let firstFailure { throw firstFailure }
        return results
    }
}
