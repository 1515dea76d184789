import CLibPQ
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connection of its own that LISTENs on channels and waits for their NOTIFYs.
///
/// Waiting blocks a thread in `poll`, so the listener has its own one-thread pool and never takes
/// a thread or a connection from a `PostgresPool`.
public final class PostgresListener: Sendable {
    /// One NOTIFY as received.
    public struct Notification: Sendable, Equatable {
        public let channel: String
        public let payload: String
    }

    private let connection: PostgresConnection
    private let threadPool: NIOThreadPool

    private init(connection: PostgresConnection, threadPool: NIOThreadPool) {
        self.connection = connection
        self.threadPool = threadPool
    }

    /// Connects and LISTENs on `channels` (plain identifiers).
    public static func connect(
        url: String, channels: [String], applicationName: String = "ledgerline-listener"
    ) async throws
        -> PostgresListener
    {
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        do {
            let connection = try await PostgresConnection.connect(
                url: url, threadPool: threadPool, applicationName: applicationName)
            for channel in channels {
                try await connection.execute(
                    PostgresQuery(unsafeSQL: "LISTEN \(try await connection.escapeIdentifier(channel))"))
            }
            return PostgresListener(connection: connection, threadPool: threadPool)
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    /// The notifications that arrive within `timeout` (at once if some are already here); empty
    /// when none came. Throws when the connection is lost, so the caller can reconnect.
    public func wait(upTo timeout: Duration) async throws -> [Notification] {
        let milliseconds = Int32(
            clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let connection = self.connection
        return try await threadPool.runIfActive {
            let handle = connection.handle
            var received = Self.drain(handle)
            guard received.isEmpty else { return received }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, milliseconds) > 0 {
                guard PQconsumeInput(handle) == 1 else { throw PostgresError.lost(handle) }
                received = Self.drain(handle)
            }
            guard PQstatus(handle) == CONNECTION_OK else { throw PostgresError.lost(handle) }
            return received
        }
    }

    public func close() async {
        await connection.close()
        try? await threadPool.shutdownGracefully()
    }

    private static func drain(_ handle: OpaquePointer) -> [Notification] {
        var received: [Notification] = []
        while let notify = PQnotifies(handle) {
            received.append(
                Notification(
                    channel: String(cString: notify.pointee.relname),
                    payload: notify.pointee.extra.map { String(cString: $0) } ?? ""))
            PQfreemem(notify)
        }
        return received
    }
}
