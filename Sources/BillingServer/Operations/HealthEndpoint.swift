import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The operations port: plain HTTP for load balancers and Prometheus, apart from the protocol so
/// that a probe never queues behind partners' requests. `GET /health` answers 200 while the
/// process can work and 503 when it cannot; `GET /metrics` the Prometheus text. Run it as the last
/// service of a group: it then closes first on shutdown, and balancers stop sending partners here
/// while the protocol drains.
public struct HealthEndpoint: Service {
    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let host: String
    let port: Int
    let isHealthy: @Sendable () async -> Bool
    let metrics: @Sendable () async -> String
    let logger: Logger
    let onListening: (@Sendable (SocketAddress) async -> Void)?
    /// A probe that has not sent its request by then is closed.
    let requestTimeout: Duration = .seconds(10)

    public init(
        host: String, port: Int, logger: Logger,
        isHealthy: @escaping @Sendable () async -> Bool,
        metrics: @escaping @Sendable () async -> String,
        onListening: (@Sendable (SocketAddress) async -> Void)? = nil
    ) {
        self.host = host
        self.port = port
        self.logger = logger
        self.isHealthy = isHealthy
        self.metrics = metrics
        self.onListening = onListening
    }

    public func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try Connection(wrappingChannelSynchronously: child)
                }
            }
        if let address = server.channel.localAddress {
            logger.info("health and metrics port listening", metadata: ["address": "\(address)"])
            await onListening?(address)
        }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await answer(connection) }
                        }
                    }
                } catch {
                    logger.debug("health port closed", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    /// One request per connection (`Connection: close`), as probes and scrapers send.
    private func answer(_ connection: Connection) async {
        let underlying = connection.channel
        let deadline = Task { [requestTimeout] in
            try await Task.sleep(for: requestTimeout)
            underlying.close(promise: nil)
        }
        defer { deadline.cancel() }
        try? await connection.executeThenClose { inbound, outbound in
            var request: HTTPRequestHead?
            for try await part in inbound {
                switch part {
                case .head(let head):
                    request = head
                case .body:
                    continue
                case .end:
                    let (status, body, type) = await response(to: request)
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: type)
                    headers.add(name: "Content-Length", value: "\(body.utf8.count)")
                    headers.add(name: "Connection", value: "close")
                    try await outbound.write(
                        .head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
                    try await outbound.write(.end(nil))
                    return
                }
            }
        }
    }

    private func response(to request: HTTPRequestHead?) async -> (HTTPResponseStatus, String, String) {
        let text = "text/plain; charset=utf-8"
        guard let request, request.method == .GET else {
            return (.methodNotAllowed, "only GET\n", text)
        }
        switch request.uri.split(separator: "?", maxSplits: 1).first ?? "" {
        case "/health":
            return await isHealthy() ? (.ok, "ok\n", text) : (.serviceUnavailable, "unavailable\n", text)
        case "/metrics":
            return (.ok, await metrics(), "text/plain; version=0.0.4; charset=utf-8")
        default:
            return (.notFound, "not found: try /health or /metrics\n", text)
        }
    }
}
