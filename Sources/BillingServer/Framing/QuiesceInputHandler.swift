import NIOCore
import NIOExtras

/// On graceful shutdown, stops reading new requests from a connection while its in-flight requests
/// finish and their responses are written. A connection accepted so recently that it is not active
/// yet has nothing in flight and is simply closed.
final class QuiesceInputHandler: ChannelInboundHandler {
    typealias InboundIn = InboundFrame
    typealias InboundOut = InboundFrame

    private var isActive = false
    private var quiesceRequested = false
    /// TLS cannot close its input alone; then this handler stops passing requests on instead.
    private var inputStopped = false

    func channelActive(context: ChannelHandlerContext) {
        isActive = true
        context.fireChannelActive()
        if quiesceRequested { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !inputStopped else { return }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            if isActive {
                let closed = context.eventLoop.makePromise(of: Void.self)
                context.close(mode: .input, promise: closed)
                closed.futureResult.assumeIsolated().whenFailure { _ in
                    self.inputStopped = true
                    context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
                }
            } else {
                quiesceRequested = true
            }
        }
        context.fireUserInboundEventTriggered(event)
    }
}
