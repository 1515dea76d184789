import CLibPQ

extension PostgresConnection {
    /// Sends many statements before reading any answer (libpq pipeline mode): one round trip for the
    /// batch instead of one per statement.
    ///
    /// The batch ends with a single sync, so outside an explicit transaction it is atomic: if one
    /// statement fails, the ones before it are rolled back, the ones after it are skipped, and the
    /// first failure is thrown. Results come back in the order of `queries`.
    public func pipeline(_ queries: [PostgresQuery]) async throws -> [PostgresRows] {
        try await threadPool.runIfActive { try self.runAfterOpening(queries) }
    }

    /// "cached plan must not change result type".
    private static let cachedPlanChanged = "0A000"

    /// How one statement of a batch is sent.
    private enum Sending {
        case unnamed
        case prepared(String)
        case preparing(String)
    }

    /// Runs `queries` in one round trip, each by its prepared name when this connection has one,
    /// preparing it in the same round trip otherwise. Runs on a pool thread.
    func runBatch(_ queries: [PostgresQuery]) throws -> [PostgresRows] {
        for query in queries { try Self.refuseNULCharacters(query.binds) }
        guard PQenterPipelineMode(handle) == 1 else { throw PostgresError.lost(handle) }
        defer { _ = PQexitPipelineMode(handle) }

        PQsetnonblocking(handle, 1)
        var sendings: [Sending] = []
        sendings.reserveCapacity(queries.count)
        for (index, query) in queries.enumerated() {
            let sending = sendingPlan(for: query)
            guard send(query, sending) else {
                PQsetnonblocking(handle, 0)
                throw PostgresError.lost(handle)
            }
            sendings.append(sending)
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
        for (query, sending) in zip(queries, sendings) {
            if case .preparing(let name) = sending {
                if readResult(into: &firstFailure) != nil { statements.remember(query, as: name) }
            }
            let rows = readResult(into: &firstFailure)
            // The table changed shape under a prepared statement (manual DDL): prepare it afresh next
            // time rather than fail on every run.
            if rows == nil, case .prepared = sending, firstFailure?.sqlState == Self.cachedPlanChanged {
                statements.forget(query)
            }
            results.append(rows ?? .empty)
        }
        guard let sync = PQgetResult(handle) else { throw PostgresError.lost(handle) }
        let syncStatus = PQresultStatus(sync)
        PQclear(sync)
        guard syncStatus == PGRES_PIPELINE_SYNC else { throw PostgresError.lost(handle) }
        if let firstFailure { throw firstFailure }
        return results
    }

    private func sendingPlan(for query: PostgresQuery) -> Sending {
        if let name = statements.name(for: query) { return .prepared(name) }
        if let name = statements.newName(for: query) { return .preparing(name) }
        return .unnamed
    }

    private func send(_ query: PostgresQuery, _ sending: Sending) -> Bool {
        withOptionalCStrings(query.binds) { values in
            let count = Int32(values.count)
            switch sending {
            case .unnamed:
                return PQsendQueryParams(handle, query.sql, count, nil, values, nil, nil, 0) == 1
            case .prepared(let name):
                return PQsendQueryPrepared(handle, name, count, values, nil, nil, 0) == 1
            case .preparing(let name):
                return PQsendPrepare(handle, name, query.sql, count, nil) == 1
                    && PQsendQueryPrepared(handle, name, count, values, nil, nil, 0) == 1
            }
        }
    }

    /// Reads one statement's results: its rows, or nil if it failed or was skipped after a failure
    /// (the first failure is kept in `firstFailure`).
    private func readResult(into firstFailure: inout PostgresError?) -> PostgresRows? {
        var rows: PostgresRows?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                rows = PostgresRows(result: result)
            case PGRES_PIPELINE_ABORTED:
                break
            default:
                if firstFailure == nil { firstFailure = PostgresError(result: result, connection: handle) }
            }
        }
        return rows
    }
}
