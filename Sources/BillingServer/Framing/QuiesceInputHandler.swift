import NIOCore
import NIOExtras

/// On graceful shutdown, stops reading new requests from a connection while its in-flight requests
/// finish and their responses are written. A connection accepted so recently that it is not active
/// yet has nothing in flight and is simply closed.
final class QuiesceInputHandler: ChannelInboundHandler {
    typealias InboundIn = InboundFrame

    private var isActive = false
    private var quiesceRequested = false

    func channelActive(context: ChannelHandlerContext) {
        isActive = true
        context.fireChannelActive()
        if quiesceRequested { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            if isActive {
                context.close(mode: .input, promise: nil)
            } else {
                quiesceRequested = true
            }
        }
        context.fireUserInboundEventTriggered(event)
    }
}
