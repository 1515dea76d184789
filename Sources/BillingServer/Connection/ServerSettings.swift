import NIOSSL

/// The limits every connection is held to (PROTOCOL.md).
public struct ServerSettings: Sendable {
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    public var maxLineLength: Int
    public var maxInFlight: Int
    /// Requests one tenant may have in flight across all its connections; beyond it, `overloaded`.
    public var maxInFlightPerTenant: Int
    /// A connection that has not said a successful hello by then is closed.
    public var helloTimeout: Duration
    public var maxFailedHellos: Int
    /// How often an open tenant session's API key is checked again for revocation.
    public var credentialRecheckInterval: Duration
    /// The name and version `hello` reports.
    public var serverName: String
    /// With a context, the port speaks TLS only (`ServerTLS`).
    public var tls: NIOSSLContext?

    public init(
        host: String = "127.0.0.1",
        port: Int = 7070,
        maxLineLength: Int = 1 << 20,
        maxInFlight: Int = 64,
        maxInFlightPerTenant: Int = 256,
        helloTimeout: Duration = .seconds(10),
        maxFailedHellos: Int = 3,
        credentialRecheckInterval: Duration = .seconds(5),
        serverName: String = "ledgerline/0.1.0",
        tls: NIOSSLContext? = nil
    ) {
        self.host = host
        self.port = port
        self.maxLineLength = maxLineLength
        self.maxInFlight = maxInFlight
        self.maxInFlightPerTenant = maxInFlightPerTenant
        self.helloTimeout = helloTimeout
        self.maxFailedHellos = maxFailedHellos
        self.credentialRecheckInterval = credentialRecheckInterval
        self.serverName = serverName
        self.tls = tls
    }
}
