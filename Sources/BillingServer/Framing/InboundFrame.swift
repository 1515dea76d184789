import NIOCore

/// What the framing layer hands the session: a complete line, or word that the peer exceeded the
/// line limit (after which the connection is closed).
enum InboundFrame: Sendable {
    case line(ByteBuffer)
    case tooLarge
}
