import Foundation
import NIOCore
import NIOExtras
import NIOPosix

/// A TCP connection that writes any bytes and reads back whatever lines the server sends, with no
/// protocol of its own: what fuzzing and abuse tests need to see the server's bytes unfiltered.
actor RawConnection {
    private let channel: any Channel
    private var outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>?
    /// The lines the server sends, in order; it ends when the server closes the connection.
    nonisolated let lines: AsyncStream<Data>

    private init(channel: any Channel, lines: AsyncStream<Data>) {
        self.channel = channel
        self.lines = lines
    }

    static func connect(port: Int) async throws -> RawConnection {
        let asyncChannel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let (lines, continuation) = AsyncStream.makeStream(of: Data.self)
        let connection = RawConnection(channel: asyncChannel.channel, lines: lines)
        await withCheckedContinuation { (attached: CheckedContinuation<Void, Never>) in
            Task {
                try? await asyncChannel.executeThenClose { inbound, outbound in
                    await connection.attach(outbound)
                    attached.resume()
                    for try await line in inbound { continuation.yield(Data(line.readableBytesView)) }
                }
                continuation.finish()
            }
        }
        return connection
    }

    private func attach(_ writer: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        outbound = writer
    }

    func send(_ bytes: [UInt8]) async throws {
        guard let outbound else { return }
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    func close() async {
        try? await channel.close()
    }
}
