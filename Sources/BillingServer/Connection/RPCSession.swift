import BillingCore
import BillingProtocol
import BillingServices
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One client connection: reads request lines, answers `hello` in order, runs every other request
/// concurrently (at most `maxInFlight`), and writes responses as they complete, matched by id.
struct RPCSession {
    let channel: NIOAsyncChannel<InboundFrame, ByteBuffer>
    let methods: MethodTable
    let authenticator: Authenticator
    let settings: ServerSettings
    let logger: Logger
    /// Event pushes (`events.subscribe`); nil when the server has no event feed.
    let events: EventFeed?
    /// Shared by every session of the server.
    let admission: TenantAdmission

    /// Session state only the reading loop changes; requests capture a copy of `identity`.
    private struct State {
        var identity: SessionIdentity?
        var failedHellos = 0
        var sequence = 0
        /// When the session's API key was last found unrevoked.
        var keyVerifiedAt = ContinuousClock.now
    }

    /// Where the session stands with `hello`, shared with the deadline that closes silent connections.
    private enum HelloProgress {
        case waiting
        case checking
        case done
    }

    func run() async {
        let connectionID = String(UInt32.random(in: .min ... .max), radix: 16)
        var logger = self.logger
        logger[metadataKey: "connection"] = "\(connectionID)"
        let progress = NIOLockedValueBox(HelloProgress.waiting)
        let underlying = channel.channel
        let helloDeadline = Task { [settings] in
            try? await Task.sleep(for: settings.helloTimeout)
            while !Task.isCancelled {
                switch progress.withLockedValue({ $0 }) {
                case .done:
                    return
                case .waiting:
                    underlying.close(promise: nil)
                    return
                case .checking:
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        defer { helloDeadline.cancel() }

        do {
            try await channel.executeThenClose { inbound, outbound in
                await serve(inbound: inbound, outbound: outbound, connectionID: connectionID, logger: logger) {
                    newProgress in progress.withLockedValue { $0 = newProgress }
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Reads until the peer closes, the line limit is broken, hello fails too often, the key is
    /// revoked or the server shuts down; requests already running always finish.
    private func serve(
        inbound: NIOAsyncChannelInboundStream<InboundFrame>,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        connectionID: String,
        logger: Logger,
        reportHello: (HelloProgress) -> Void
    ) async {
        let limiter = InFlightLimiter(limit: settings.maxInFlight)
        var state = State()
        let underlying = channel.channel
        let sessionEvents = events.map {
            SessionEvents(
                feed: $0, outbound: outbound, closeConnection: { underlying.close(promise: nil) }, logger: logger)
        }
        await withDiscardingTaskGroup { group in
            do {
                reading: for try await frame in inbound {
                    guard case .line(let line) = frame else {
                        let error = RPCError(
                            .frameTooLarge,
                            "a line may be at most \(settings.maxLineLength) bytes; closing the connection"
                        )
                        try await outbound.write(Self.frame(RPCResponse.encode(id: nil, error: error)))
                        break reading
                    }
                    state.sequence += 1
                    let requestID = "\(connectionID)-\(state.sequence)"
                    let request: RPCRequest
                    switch Result(catching: { () throws(RPCRequest.Rejection) in
                        try RPCRequest.parse(line: Data(line.readableBytesView))
                    }) {
                    case .success(let parsed):
                        request = parsed
                    case .failure(let rejection):
                        try await outbound.write(
                            Self.frame(RPCResponse.encode(id: rejection.id, error: rejection.error))
                        )
                        continue
                    }
                    var requestLogger = logger
                    requestLogger[metadataKey: "request_id"] = "\(requestID)"
                    requestLogger[metadataKey: "method"] = "\(request.method)"
                    if case .tenant(let tenant, _)? = state.identity {
                        requestLogger[metadataKey: "tenant_id"] = "\(tenant)"
                    }

                    let received = ContinuousClock.now
                    if request.method == Hello.name {
                        reportHello(.checking)
                        let response = await hello(request, state: &state, requestID: requestID, logger: requestLogger)
                        RequestMetrics.record(
                            method: Hello.name, code: state.identity == nil ? "refused" : "ok", since: received)
                        reportHello(state.identity == nil ? .waiting : .done)
                        if request.expectsResponse { try await outbound.write(Self.frame(response)) }
                        if state.failedHellos >= settings.maxFailedHellos { break reading }
                        continue
                    }
                    let route: MethodTable.Route
                    switch admit(request, identity: state.identity) {
                    case .success(let admitted):
                        route = admitted
                    case .failure(let error):
                        RequestMetrics.record(
                            method: methods.route(for: request.method) == nil ? "unknown" : request.method,
                            code: error.type, since: received)
                        if request.expectsResponse {
                            try await outbound.write(Self.frame(RPCResponse.encode(id: request.id, error: error)))
                        }
                        continue
                    }
                    if try await keyWasRevoked(&state, request: request, outbound: outbound) { break reading }
                    var admittedTenant: TenantID?
                    if case .tenant(let tenant, _)? = state.identity {
                        guard admission.enter(tenant) else {
                            RequestMetrics.record(
                                method: request.method, code: RPCErrorCode.overloaded.type, since: received)
                            if request.expectsResponse {
                                let error = RPCError(
                                    .overloaded,
                                    "tenant \(tenant) has \(settings.maxInFlightPerTenant) requests in flight; retry later"
                                )
                                try await outbound.write(Self.frame(RPCResponse.encode(id: request.id, error: error)))
                            }
                            continue
                        }
                        admittedTenant = tenant
                    }
                    await limiter.acquire()
                    let context = RequestContext(
                        requestID: requestID, identity: state.identity, logger: requestLogger, events: sessionEvents)
                    group.addTask {
                        let response = await Self.execute(route, request, context)
                        if request.expectsResponse {
                            try? await outbound.write(Self.frame(response))
                        }
                        sessionEvents?.responded(to: requestID)
                        if let admittedTenant { admission.leave(admittedTenant) }
                        await limiter.release()
                    }
                }
            } catch {
                logger.debug("stopped reading", metadata: ["error": "\(error)"])
            }
            await sessionEvents?.finish()
        }
    }

    /// Re-checks a tenant session's API key at most every `credentialRecheckInterval`, so that a
    /// revoked key stops working on connections that are already open; answers −32001 if it was.
    private func keyWasRevoked(
        _ state: inout State,
        request: RPCRequest,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> Bool {
        guard case .tenant(let tenant, let key)? = state.identity,
            ContinuousClock.now - state.keyVerifiedAt >= settings.credentialRecheckInterval
        else { return false }
        guard await authenticator.isRevoked(key: key, tenant: tenant) else {
            state.keyVerifiedAt = .now
            return false
        }
        if request.expectsResponse {
            let error = RPCError(.unauthenticated, "the API key was revoked; closing the connection")
            try await outbound.write(Self.frame(RPCResponse.encode(id: request.id, error: error)))
        }
        return true
    }

    /// Checks that the session may call the method at all.
    private func admit(_ request: RPCRequest, identity: SessionIdentity?) -> Result<MethodTable.Route, RPCError> {
        let route = methods.route(for: request.method)
        if identity == nil, route?.access != .anyone {
            return .failure(
                RPCError(.unauthenticated, "say hello first: the first request on a connection must be hello"))
        }
        guard let route else {
            return .failure(RPCError(.methodNotFound, "there is no method \(request.method)"))
        }
        switch (route.access, identity) {
        case (.operatorOnly, .tenant?):
            return .failure(RPCError(.forbidden, "\(request.method) is an operator method"))
        case (.tenantOnly, .operator?):
            return .failure(RPCError(.forbidden, "\(request.method) acts for a tenant; the operator cannot call it"))
        default:
            return .success(route)
        }
    }

    private func hello(_ request: RPCRequest, state: inout State, requestID: String, logger: Logger) async -> Data {
        guard state.identity == nil else {
            return RPCResponse.encode(
                id: request.id, error: RPCError(.invalidRequest, "this session already said hello"))
        }
        do {
            let params = try ParamsDecoder.decode(Hello.Params.self, from: request.params)
            let identity = try await authenticator.authenticate(params)
            state.identity = identity
            state.keyVerifiedAt = .now
            let tenantID: String? = if case .tenant(let tenant, _) = identity { tenant.description } else { nil }
            logger.info(
                "hello", metadata: ["tenant_id": "\(tenantID ?? "operator")", "client": "\(params.client ?? "")"])
            let result = Hello.Result(
                tenantId: tenantID,
                role: tenantID == nil ? "operator" : "tenant",
                protocol: 1,
                server: settings.serverName
            )
            return try RPCResponse.encode(id: request.id, result: result)
        } catch {
            let rpcError = ErrorTranslation.rpcError(for: error, requestID: requestID)
            if rpcError.type == RPCErrorCode.unauthenticated.type || rpcError.type == RPCErrorCode.invalidParams.type {
                state.failedHellos += 1
            }
            logger.info("hello refused", metadata: ["error": "\(rpcError.type)"])
            return RPCResponse.encode(id: request.id, error: rpcError)
        }
    }

    private static func execute(
        _ route: MethodTable.Route, _ request: RPCRequest, _ context: RequestContext
    ) async -> Data {
        let started = ContinuousClock.now
        do {
            let result = try await route.handle(request.params, context)
            let response = try RPCResponse.encode(id: request.id, result: result)
            RequestMetrics.record(method: request.method, code: "ok", since: started)
            context.logger.debug("ok", metadata: ["ms": "\((ContinuousClock.now - started).milliseconds)"])
            return response
        } catch {
            let rpcError = ErrorTranslation.rpcError(for: error, requestID: context.requestID)
            RequestMetrics.record(method: request.method, code: rpcError.type, since: started)
            if ErrorTranslation.isDefect(rpcError) {
                context.logger.error("internal error", metadata: ["error": "\(error)"])
            } else {
                context.logger.debug(
                    "refused", metadata: ["error": "\(rpcError.type)", "message": "\(rpcError.message)"])
            }
            return RPCResponse.encode(id: request.id, error: rpcError)
        }
    }

    static func frame(_ data: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.count + 1)
        buffer.writeBytes(data)
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
