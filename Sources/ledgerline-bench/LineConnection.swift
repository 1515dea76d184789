import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection that sends request lines already encoded and reads each answer, with
/// blocking calls on a thread of its own: what a partner's encoding costs is not the server's.
final class LineConnection: @unchecked Sendable {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(description: "connect: \(errno)")
        }
    }

    deinit { close(descriptor) }

    /// Sends `line` (ending in a newline) and returns the answer line, without its newline.
    func roundTrip(_ line: [UInt8]) throws -> [UInt8] {
        var sent = 0
        while sent < line.count {
            let written = line[sent...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure(description: "write: \(errno)") }
            sent += written
        }
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let answer = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return answer
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "read: \(errno)") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Runs `body` on a new thread, so its blocking calls hold none of the server's.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
