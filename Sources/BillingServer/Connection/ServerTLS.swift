import NIOSSL

/// TLS for the protocol listener, from the PEM files an operator deploys: the context is built once
/// at startup, so a wrong path or a key that does not match fails the start, not the first partner.
public enum ServerTLS {
    /// A certificate chain (leaf first) and its unencrypted private key; TLS 1.2 at least.
    public static func context(certificateChainFile: String, privateKeyFile: String) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateChainFile)
        let key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }
}
