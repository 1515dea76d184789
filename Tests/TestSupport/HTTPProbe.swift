import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One plain HTTP/1.1 GET, as a load balancer's probe or a Prometheus scrape sends it.
public enum HTTPProbe {
    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    /// The status code and body of `GET path` on 127.0.0.1:`port`.
    public static func get(port: Int, path: String) async throws -> (status: Int, body: String) {
        let response = try await OwnThread.run { try getBlocking(port: port, path: path) }
        return (response.status, response.body)
    }

    private struct Response: Sendable {
        let status: Int
        let body: String
    }

    private static func getBlocking(port: Int, path: String) throws -> Response {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failed(description: "socket: \(errno)") }
        defer { close(socket) }
        let connected = Loopback.withAddress(port: port) { connect(socket, $0, $1) }
        guard connected == 0 else { throw Failed(description: "connect to \(port): \(errno)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard write(socket, request, request.count) == request.count else { throw Failed(description: "write") }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(socket, &chunk, chunk.count)
            guard count > 0 else { break }
            response += chunk[0..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let statusLine = text.split(separator: "\r\n", maxSplits: 1).first,
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? ""),
            let bodyStart = text.range(of: "\r\n\r\n")
        else { throw Failed(description: "not an HTTP response: \(text.prefix(200))") }
        return Response(status: status, body: String(text[bodyStart.upperBound...]))
    }

    /// The value of one sample line of a Prometheus text, e.g. `name{label="x"}`; nil if absent.
    public static func sample(_ series: String, in metrics: String) -> Double? {
        for line in metrics.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
