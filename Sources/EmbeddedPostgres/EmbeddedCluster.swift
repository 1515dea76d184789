import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster living in a directory of the project's, for `billingd dev` and tests.
///
/// PostgreSQL refuses to run as root, so when this process is root every server command runs as
/// the `postgres` system user, which then owns `directory/postgres`. The superuser (`postgres`)
/// connects through the cluster's own Unix socket with trust authentication; TCP on 127.0.0.1
/// requires a SCRAM password.
public struct EmbeddedCluster: Sendable {
    /// The folder everything lives in: `postgres/data`, `postgres/run` (socket), `postgres/server.log`.
    public let directory: URL
    public let binDirectory: URL
    /// Settings that trade durability for speed, for throwaway test clusters only.
    public let durable: Bool
    public private(set) var port: Int = 0

    public init(directory: URL, durable: Bool = true, binDirectory: URL? = nil) throws {
        self.directory = directory
        self.durable = durable
        self.binDirectory = try binDirectory ?? Self.locateBinDirectory()
    }

    var clusterHome: URL { directory.appendingPathComponent("postgres") }
    var dataDirectory: URL { clusterHome.appendingPathComponent("data") }
    var socketDirectory: URL { clusterHome.appendingPathComponent("run") }
    var logFile: URL { clusterHome.appendingPathComponent("server.log") }

    /// The superuser's URL for `database`, through the private socket.
    public func superuserURL(database: String = "postgres") -> String {
        "postgresql:///\(database)?host=\(socketDirectory.path)&port=\(port)&user=postgres"
    }

    /// A TCP URL for a login role with a password.
    public func tcpURL(database: String, user: String, password: String) -> String {
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        return "postgresql://\(user):\(encoded)@127.0.0.1:\(port)/\(database)"
    }

    /// Creates the cluster unless it exists already.
    public func initializeIfNeeded() throws {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) { return }
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        try fileManager.createDirectory(at: clusterHome, withIntermediateDirectories: true)
        try fileManager.createDirectory(at: socketDirectory, withIntermediateDirectories: true)
        try makeTraversable(directory)
        try handToClusterOwner(clusterHome)
        try handToClusterOwner(socketDirectory)
        try runServerCommand(
            "initdb",
            [
                "-D", dataDirectory.path, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--no-locale", "--no-instructions",
            ]
        )
    }

    /// Starts the server on `port` (a free one when nil), stopping a server left running in the
    /// same directory by an earlier process first.
    public mutating func start(port requested: Int? = nil) throws {
        if isRunning() { try stop() }
        do {
            try launch(port: requested ?? Self.freePort())
        } catch  where requested == nil {
            try launch(port: Self.freePort())
        }
    }

    private mutating func launch(port chosen: Int) throws {
        port = chosen
        var options = [
            "-p \(port)", "-k \(socketDirectory.path)", "-c listen_addresses=127.0.0.1",
            "-c max_connections=200",
        ]
        if !durable {
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        }
        try runServerCommand(
            "pg_ctl",
            [
                "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-o", options.joined(separator: " "),
                "start",
            ]
        )
    }

    /// Stops the server (fast shutdown: open transactions are rolled back).
    public func stop() throws {
        try runServerCommand("pg_ctl", ["-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60", "stop"])
    }

    /// Restarts the server on the same port (every open connection is cut).
    public func restart() throws {
        try runServerCommand("pg_ctl", ["-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60", "restart"])
    }

    public func isRunning() -> Bool {
        (try? runServerCommand("pg_ctl", ["-D", dataDirectory.path, "status"])) != nil
    }

    /// The postmaster's process id, from its pid file.
    public func postmasterPID() -> pid_t? {
        let pidFile = dataDirectory.appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let line = text.split(separator: "\n").first
        else { return nil }
        return pid_t(line)
    }

    // MARK: - Processes and files

    @discardableResult
    func runServerCommand(_ tool: String, _ arguments: [String]) throws -> String {
        let executable = binDirectory.appendingPathComponent(tool).path
        let command =
            geteuid() == 0
            ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let (status, output) = try ChildProcess.run(command)
        guard status == 0 else {
            throw EmbeddedClusterError(command: ([tool] + arguments).joined(separator: " "), output: output)
        }
        return output
    }

    private func handToClusterOwner(_ url: URL) throws {
        guard geteuid() == 0 else { return }
        guard let user = getpwnam("postgres") else {
            throw EmbeddedClusterError(command: "getpwnam postgres", output: "no postgres system user")
        }
        guard chown(url.path, user.pointee.pw_uid, user.pointee.pw_gid) == 0, chmod(url.path, 0o700) == 0 else {
            throw EmbeddedClusterError(command: "chown \(url.path)", output: String(cString: strerror(errno)))
        }
    }

    private func makeTraversable(_ url: URL) throws {
        guard geteuid() == 0 else { return }
        var status = stat()
        guard stat(url.path, &status) == 0 else { return }
        _ = chmod(url.path, status.st_mode | 0o011)
    }

    static func locateBinDirectory() throws -> URL {
        if let configured = ProcessInfo.processInfo.environment["LEDGERLINE_PG_BINDIR"] {
            return URL(fileURLWithPath: configured)
        }
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let newest = versions.compactMap(Int.init).sorted().last
        guard let newest else {
            throw EmbeddedClusterError(
                command: "locate PostgreSQL",
                output: "no PostgreSQL server under /usr/lib/postgresql; install postgresql or set LEDGERLINE_PG_BINDIR"
            )
        }
        return root.appendingPathComponent("\(newest)/bin")
    }

    /// A TCP port on 127.0.0.1 that nothing uses right now, below Linux's ephemeral range
    /// (32768–60999) so that no outgoing connection takes it before the server binds it.
    public static func freePort() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 15_000..<32_000)
            if isBindable(port) { return port }
        }
        throw EmbeddedClusterError(command: "bind", output: "cannot find a free port")
    }

    private static func isBindable(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A server command failed; `output` is what it printed.
public struct EmbeddedClusterError: Error, CustomStringConvertible {
    public let command: String
    public let output: String

    public var description: String { "\(command) failed: \(output)" }
}
