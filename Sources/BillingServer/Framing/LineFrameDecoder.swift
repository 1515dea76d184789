import NIOCore

/// Splits the byte stream into lines (`\n`, with `\r\n` accepted), refusing any line longer than
/// `maximumLength` as soon as that many bytes are buffered, so a peer can never make the server
/// hold more than that per connection.
struct LineFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = InboundFrame

    let maximumLength: Int
    private var refused = false
    /// Bytes already searched for a newline in the current buffer, so each byte is scanned once.
    private var scanned = 0

    init(maximumLength: Int) {
        self.maximumLength = maximumLength
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard !refused else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        let view = buffer.readableBytesView
        let searchStart = view.index(view.startIndex, offsetBy: scanned)
        guard let newline = view[searchStart...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            if view.count > maximumLength + 1 { refuse(context: context, buffer: &buffer) }
            return .needMoreData
        }
        scanned = 0
        var length = newline - view.startIndex
        guard length <= maximumLength + 1 else {
            refuse(context: context, buffer: &buffer)
            return .needMoreData
        }
        var line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytesView.last == UInt8(ascii: "\r") {
            length -= 1
            line = line.getSlice(at: line.readerIndex, length: length)!
        }
        guard length <= maximumLength else {
            refuse(context: context, buffer: &buffer)
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(.line(line)))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }

    private mutating func refuse(context: ChannelHandlerContext, buffer: inout ByteBuffer) {
        refused = true
        buffer.moveReaderIndex(to: buffer.writerIndex)
        context.fireChannelRead(Self.wrapInboundOut(.tooLarge))
    }
}
