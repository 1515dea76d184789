import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// 127.0.0.1 and a port, as the socket calls take an address (connect, bind), for tests that work
/// below NIO.
public enum Loopback {
    /// Runs `call` with the address of 127.0.0.1:`port` and its length.
    public static func withAddress<T>(port: Int, _ call: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
