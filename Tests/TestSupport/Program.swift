import Foundation

/// A program a test runs to its end (openssl, pg_dump), with what it printed.
public enum Program {
    public struct Failed: Error, CustomStringConvertible {
        public let command: [String]
        public let status: Int32
        public let output: String
        public var description: String { "\(command.joined(separator: " ")) exited \(status): \(output)" }
    }

    /// Standard output and error together; a non-zero exit throws `Failed`.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        try await OwnThread.run { try runBlocking(executable, arguments) }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(command: [executable] + arguments, status: process.terminationStatus, output: output)
        }
        return output
    }
}
