import BillingProtocol
import Foundation
import NIOCore
import NIOExtras
import NIOPosix

/// A Ledgerline protocol client: one TCP connection, requests pipelined and matched to their
/// responses by id, so many calls may be in flight at once.
public actor BillingClient {
    private enum Slot {
        case waiting(CheckedContinuation<Data, any Error>)
        case arrived(Data)
    }

    private let channel: any Channel
    private var outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>?
    private var slots: [RPCID: Slot] = [:]
    private var unmatched: [RPCResponse] = []
    private var unmatchedWaiters: [CheckedContinuation<RPCResponse?, Never>] = []
    private var pushes: [PushLine] = []
    private var pushWaiters: [CheckedContinuation<PushLine?, Never>] = []
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var isClosed = false
    private var nextID: Int64 = 0

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to a server at `host:port`, over TLS when `tls` is given.
    public static func connect(
        host: String,
        port: Int,
        tls: ClientTLS? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> BillingClient {
        let asyncChannel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // Over TLS without half-closure: NIOSSL would otherwise wait out its shutdown timeout on close.
            .channelOption(.allowRemoteHalfClosure, value: tls == nil)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try tls.handler(host: host)) }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let client = BillingClient(channel: asyncChannel.channel)
        await withCheckedContinuation { (attached: CheckedContinuation<Void, Never>) in
            Task {
                try? await asyncChannel.executeThenClose { inbound, outbound in
                    await client.attach(outbound)
                    attached.resume()
                    for try await line in inbound {
                        await client.receive(line)
                    }
                }
                await client.connectionClosed()
            }
        }
        return client
    }

    /// Connects to `"host:port"`.
    public static func connect(address: String, tls: ClientTLS? = nil) async throws -> BillingClient {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ClientError.badAddress(address)
        }
        return try await connect(host: String(address[..<colon]), port: port, tls: tls)
    }

    /// Calls a method of the protocol and decodes its result; an error response is thrown as `RPCError`.
    public func call<Method: RPCMethod>(_ method: Method.Type, _ params: Method.Params) async throws -> Method.Result {
        let line = try await exchange(method: Method.name, params: WireCoding.value(of: params))
        let response = try JSONDecoder().decode(TypedResponse<Method.Result>.self, from: line)
        if let error = response.error { throw error }
        guard let result = response.result else { throw ClientError.malformedResponse }
        return result
    }

    /// Calls any method with raw JSON params (the CLI's `call`).
    public func call(method: String, params: JSONValue = .object([:])) async throws -> JSONValue {
        let line = try await exchange(method: method, params: params)
        switch try JSONDecoder().decode(RPCResponse.self, from: line).outcome {
        case .success(let result): return result
        case .failure(let error): throw error
        }
    }

    /// Sends a request and returns its response line, whenever it arrives among the others.
    private func exchange(method: String, params: JSONValue) async throws -> Data {
        nextID += 1
        let id = RPCID.number(nextID)
        try await send(RequestLine(id: id, method: method, params: params))
        return try await response(for: id)
    }

    /// Sends bytes as they are, for tests of the server's framing and parsing.
    public func sendRaw(_ bytes: [UInt8]) async throws {
        guard let outbound, !isClosed else { throw ClientError.closed }
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// The next response whose id matched no call (a reply to `sendRaw`, or an error with a null
    /// id); nil once the connection is closed and nothing is left.
    public func nextUnmatchedResponse() async -> RPCResponse? {
        if !unmatched.isEmpty { return unmatched.removeFirst() }
        if isClosed { return nil }
        return await withCheckedContinuation { unmatchedWaiters.append($0) }
    }

    /// The next notification the server pushed (`events.notify`): its method and params; nil once
    /// the connection is closed and nothing is left.
    public func nextPush() async -> (method: String, params: JSONValue)? {
        if !pushes.isEmpty { return pushes.removeFirst().pair }
        if isClosed { return nil }
        return await withCheckedContinuation { pushWaiters.append($0) }?.pair
    }

    /// Sends a notification: a request without id, which gets no response (`events.ack`).
    public func notify<Method: RPCMethod>(_ method: Method.Type, _ params: Method.Params) async throws {
        guard let outbound, !isClosed else { throw ClientError.closed }
        var buffer = ByteBuffer(
            bytes: try WireCoding.encode(
                NotificationLine(method: Method.name, params: try WireCoding.value(of: params))))
        buffer.writeInteger(UInt8(ascii: "\n"))
        try await outbound.write(buffer)
    }

    /// Returns when the server has closed the connection.
    public func waitUntilClosed() async {
        if isClosed { return }
        await withCheckedContinuation { closeWaiters.append($0) }
    }

    public var closed: Bool { isClosed }

    public func close() async {
        try? await channel.close()
    }

    // MARK: - Internals

    private func attach(_ writer: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        outbound = writer
    }

    private func send(_ request: RequestLine) async throws {
        guard let outbound, !isClosed else { throw ClientError.closed }
        var buffer = ByteBuffer(bytes: try WireCoding.encode(request))
        buffer.writeInteger(UInt8(ascii: "\n"))
        try await outbound.write(buffer)
    }

    private func response(for id: RPCID) async throws -> Data {
        if case .arrived(let line)? = slots.removeValue(forKey: id) { return line }
        guard !isClosed else { throw ClientError.closed }
        return try await withCheckedThrowingContinuation { slots[id] = .waiting($0) }
    }

    /// Routes a response line by its id alone; the caller decodes the rest into the result it expects.
    private func receive(_ buffer: ByteBuffer) {
        let line = Data(buffer.readableBytesView)
        if line.starts(with: Self.pushPrefix), case .object(let fields)? = try? WireCoding.parse(line),
            fields["id"] == nil, case .string(let method)? = fields["method"]
        {
            let push = PushLine(method: method, params: fields["params"] ?? .null)
            if pushWaiters.isEmpty {
                pushes.append(push)
            } else {
                pushWaiters.removeFirst().resume(returning: push)
            }
            return
        }
        guard let id = (try? JSONDecoder().decode(ResponseID.self, from: line))?.id,
            let slot = slots[id] ?? (nextIDIssued(id) ? .arrived(line) : nil)
        else {
            guard let response = try? JSONDecoder().decode(RPCResponse.self, from: line) else { return }
            if unmatchedWaiters.isEmpty {
                unmatched.append(response)
            } else {
                unmatchedWaiters.removeFirst().resume(returning: response)
            }
            return
        }
        switch slot {
        case .waiting(let continuation):
            slots[id] = nil
            continuation.resume(returning: line)
        case .arrived:
            slots[id] = .arrived(line)
        }
    }

    /// How the server's pushes begin (responses begin with their id).
    private static let pushPrefix = Data(#"{"jsonrpc":"2.0","method":"#.utf8)

    /// Whether `id` is one this client issued (its response may arrive before the caller waits).
    private func nextIDIssued(_ id: RPCID) -> Bool {
        if case .number(let number) = id { return number >= 1 && number <= nextID }
        return false
    }

    private func connectionClosed() {
        isClosed = true
        for (_, slot) in slots {
            if case .waiting(let continuation) = slot { continuation.resume(throwing: ClientError.closed) }
        }
        slots = slots.filter { if case .arrived = $0.value { true } else { false } }
        for waiter in unmatchedWaiters { waiter.resume(returning: nil) }
        unmatchedWaiters.removeAll()
        for waiter in pushWaiters { waiter.resume(returning: nil) }
        pushWaiters.removeAll()
        for waiter in closeWaiters { waiter.resume() }
        closeWaiters.removeAll()
    }
}

/// A request line as the client writes it.
private struct RequestLine: Encodable {
    let id: RPCID
    let method: String
    let params: JSONValue

    enum CodingKeys: String, CodingKey {
        case jsonrpc, id, method, params
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("2.0", forKey: .jsonrpc)
        try container.encode(id, forKey: .id)
        try container.encode(method, forKey: .method)
        try container.encode(params, forKey: .params)
    }
}

/// Just the id of a response, to route it.
private struct ResponseID: Decodable {
    let id: RPCID?
}

/// A response decoded straight into the result type the caller expects.
private struct TypedResponse<Result: Decodable>: Decodable {
    let result: Result?
    let error: RPCError?
}

/// Failures of the client itself (as opposed to error responses, which are `RPCError`).
public enum ClientError: Error, CustomStringConvertible {
    case closed
    case badAddress(String)
    case malformedResponse

    public var description: String {
        switch self {
        case .closed: "the connection is closed"
        case .badAddress(let address): "\(address) is not host:port"
        case .malformedResponse: "the server's response has neither result nor error"
        }
    }
}

/// A line the server pushed: a method and its params, no id.
private struct PushLine: Sendable {
    let method: String
    let params: JSONValue

    var pair: (method: String, params: JSONValue) { (method, params) }
}

/// A notification as the client writes it: no id.
private struct NotificationLine: Encodable {
    let method: String
    let params: JSONValue

    enum CodingKeys: String, CodingKey {
        case jsonrpc, method, params
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("2.0", forKey: .jsonrpc)
        try container.encode(method, forKey: .method)
        try container.encode(params, forKey: .params)
    }
}
