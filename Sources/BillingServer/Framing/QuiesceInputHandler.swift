import NIOCore
import NIOExtras

/// On graceful shutdown, stops reading new requests from a connection while its in-flight requests
/// finish and their responses are written.
final class QuiesceInputHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = InboundFrame

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            context.close(mode: .input, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
