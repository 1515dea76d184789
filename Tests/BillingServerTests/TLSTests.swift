import BillingClient
import BillingProtocol
import BillingServer
import Foundation
import TestSupport
import Testing

/// Issue 16, TLS: with a certificate and key (generated here with openssl, self-signed for
/// 127.0.0.1 and localhost), the protocol port speaks TLS only.
@Suite struct TLSTests {
    /// A fresh self-signed certificate and its key in a temporary folder, and a second key that
    /// belongs to no certificate.
    static func makeCertificate() async throws -> (certificate: String, key: String, otherKey: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = folder.appendingPathComponent("server.pem").path
        let key = folder.appendingPathComponent("server.key").path
        let otherKey = folder.appendingPathComponent("other.key").path
        try await Program.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        try await Program.run(
            "/usr/bin/openssl",
            ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", otherKey])
        return (certificate, key, otherKey, folder)
    }

    @Test func theProtocolRunsOverTLSAndPlainTCPIsRefused() async throws {
        let files = try await Self.makeCertificate()
        defer { try? FileManager.default.removeItem(at: files.folder) }
        let context = try ServerTLS.context(certificateChainFile: files.certificate, privateKeyFile: files.key)
        let server = try await RunningServer.start(settings: ServerSettings(port: 0, tls: context))

        // A client that trusts the certificate, by address and by name.
        let trusting = try ClientTLS(trustRootsFile: files.certificate)
        for host in ["127.0.0.1", "localhost"] {
            let client = try await BillingClient.connect(host: host, port: server.port, tls: trusting)
            #expect(try await client.call(Health.self, NoParams()) == Health.Result(status: "ok", database: "ok"))
            let hello = try await client.call(
                Hello.self, .init(operatorToken: RunningServer.operatorToken, client: "tls-test"))
            #expect(hello.role == "operator")
            #expect(try await client.call(Ping.self, NoParams()).pong)
            await client.close()
        }

        // Plain TCP gets no answer: the server closes the connection.
        let plain = try await server.connect()
        await #expect(throws: (any Error).self) { try await plain.call(Ping.self, NoParams()) }
        await plain.close()

        // A client that trusts only the system's roots refuses the self-signed certificate.
        let strict = try await BillingClient.connect(host: "127.0.0.1", port: server.port, tls: try ClientTLS())
        await #expect(throws: (any Error).self) { try await strict.call(Ping.self, NoParams()) }
        await strict.close()

        // Shutting down with a TLS session open closes it at once (no wait for a TLS shutdown timeout).
        let open = try await BillingClient.connect(host: "127.0.0.1", port: server.port, tls: trusting)
        #expect(try await open.call(Ping.self, NoParams()).pong)
        let stopping = ContinuousClock.now
        try await server.stop()
        await open.waitUntilClosed()
        #expect(ContinuousClock.now - stopping < .seconds(3))
    }

    @Test func aMissingFileOrAKeyOfAnotherCertificateFailsAtStartup() async throws {
        let files = try await Self.makeCertificate()
        defer { try? FileManager.default.removeItem(at: files.folder) }
        #expect(throws: (any Error).self) {
            try ServerTLS.context(certificateChainFile: files.certificate + ".missing", privateKeyFile: files.key)
        }
        #expect(throws: (any Error).self) {
            try ServerTLS.context(certificateChainFile: files.certificate, privateKeyFile: files.otherKey)
        }
    }
}
