import ArgumentParser
import BillingServer
import NIOSSL

/// TLS for the protocol port: a certificate chain and its key, both or neither.
struct TLSOptions: ParsableArguments {
    @Option(
        help: "PEM certificate chain, leaf first, for TLS on the protocol port (env LEDGERLINE_TLS_CERTIFICATE_FILE).")
    var tlsCertificateFile: String?

    @Option(help: "PEM private key of that certificate, unencrypted (env LEDGERLINE_TLS_KEY_FILE).")
    var tlsKeyFile: String?

    /// nil without certificate and key: the port speaks plain TCP.
    func context() throws -> NIOSSLContext? {
        let certificate = Settings.value(tlsCertificateFile, env: "LEDGERLINE_TLS_CERTIFICATE_FILE")
        let key = Settings.value(tlsKeyFile, env: "LEDGERLINE_TLS_KEY_FILE")
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case (let certificate?, let key?):
            do {
                return try ServerTLS.context(certificateChainFile: certificate, privateKeyFile: key)
            } catch {
                throw ValidationError("TLS certificate \(certificate) or key \(key) cannot be used: \(error)")
            }
        default:
            throw ValidationError("TLS needs both --tls-certificate-file and --tls-key-file")
        }
    }
}
