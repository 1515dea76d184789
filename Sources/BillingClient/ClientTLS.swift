import NIOCore
import NIOSSL

/// How a client speaks TLS to a server: verified against the system's trust store, or against the
/// certificates of one PEM file (a private CA, or a self-signed server certificate).
public struct ClientTLS: Sendable {
    let context: NIOSSLContext

    /// `trustRootsFile` nil: the system trust store.
    public init(trustRootsFile: String? = nil) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let trustRootsFile {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustRootsFile))
        }
        context = try NIOSSLContext(configuration: configuration)
    }

    /// The handler for a connection to `host`: a host name is sent for SNI and verified; an IP
    /// address is verified against the certificate's IP addresses.
    func handler(host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
    }
}
