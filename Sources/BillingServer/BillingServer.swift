import BillingServices
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// The JSON-RPC TCP server, run as a `Service`: on graceful shutdown it stops accepting, lets every
/// connection finish the requests it has in flight, then returns.
public actor BillingServer: Service {
    private enum State {
        case initial
        case running(
            channel: NIOAsyncChannel<NIOAsyncChannel<InboundFrame, ByteBuffer>, Never>, quiescing: ServerQuiescingHelper
        )
        case shuttingDown(EventLoopFuture<Void>)
        case shutdown
    }

    private var state = State.initial
    private let settings: ServerSettings
    private let methods: MethodTable
    private let authenticator: Authenticator
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let onListening: (@Sendable (SocketAddress) async -> Void)?
    private let events: EventFeed?

    public init(
        settings: ServerSettings,
        methods: MethodTable,
        authenticator: Authenticator,
        events: EventFeed? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        onListening: (@Sendable (SocketAddress) async -> Void)? = nil
    ) {
        self.events = events
        self.settings = settings
        self.methods = methods
        self.authenticator = authenticator
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        guard case .initial = state else { throw ServerAlreadyStarted() }
        let quiescing = ServerQuiescingHelper(group: eventLoopGroup)
        let maxLineLength = settings.maxLineLength
        let tls = settings.tls
        let channel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            // Half-closure lets a plain-TCP client send its requests, shut its side and still read
            // the answers. Over TLS, NIOSSL with half-closure would not finish a close_notify
            // exchange it started, and each close would wait for its shutdown timeout.
            .childChannelOption(.allowRemoteHalfClosure, value: tls == nil)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: settings.host, port: settings.port) { child in
                child.eventLoop.makeCompletedFuture {
                    if let tls {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try child.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFrameDecoder(maximumLength: maxLineLength))
                    )
                    try child.pipeline.syncOperations.addHandler(QuiesceInputHandler())
                    // Close-on-deinit on purpose: a connection accepted just as graceful shutdown
                    // closes the listener can arrive after the accept loop has ended; nobody then
                    // runs executeThenClose on it, and it must be closed, not trap.
                    return try NIOAsyncChannel<InboundFrame, ByteBuffer>(
                        synchronouslyWrapping: child,
                        configuration: .init(backPressureStrategy: .init(lowWatermark: 1, highWatermark: 2))
                    )
                }
            }
        if case .shutdown = state {
            try await channel.channel.close()
            return
        }
        state = .running(channel: channel, quiescing: quiescing)
        if let address = channel.channel.localAddress {
            logger.info("listening", metadata: ["address": "\(address)"])
            await onListening?(address)
        }

        let session = (methods, authenticator, settings, logger, events)
        let admission = TenantAdmission(limit: settings.maxInFlightPerTenant)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await channel.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask {
                                await RPCSession(
                                    channel: connection,
                                    methods: session.0,
                                    authenticator: session.1,
                                    settings: session.2,
                                    logger: session.3,
                                    events: session.4,
                                    admission: admission
                                ).run()
                            }
                        }
                    }
                } catch {
                    session.3.error("accept loop ended", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            Task { await self.shutdownGracefully() }
        }
        state = .shutdown
        logger.info("stopped")
    }

    /// Stops accepting, asks every connection to stop reading, and returns once all have closed.
    public func shutdownGracefully() async {
        switch state {
        case .initial:
            state = .shutdown
        case .running(let channel, let quiescing):
            let promise = channel.channel.eventLoop.makePromise(of: Void.self)
            state = .shuttingDown(promise.futureResult)
            logger.info("shutting down: finishing in-flight requests")
            quiescing.initiateShutdown(promise: promise)
            try? await promise.futureResult.get()
        case .shuttingDown(let done):
            try? await done.get()
        case .shutdown:
            return
        }
    }
}

/// `run()` was called twice.
struct ServerAlreadyStarted: Error {}
