import ArgumentParser
import Foundation
import Logging

/// Settings come from flags first, then `LEDGERLINE_*` environment variables.
enum Settings {
    static func value(_ flag: String?, env name: String) -> String? {
        flag ?? ProcessInfo.processInfo.environment[name]
    }

    static func required(_ flag: String?, env name: String, option: String) throws -> String {
        guard let value = value(flag, env: name), !value.isEmpty else {
            throw ValidationError("missing --\(option) (or \(name))")
        }
        return value
    }

    /// `host:port` → its parts.
    static func listenAddress(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw ValidationError("\(text) is not HOST:PORT")
        }
        return (String(text[..<colon]), port)
    }

    static func readSecretFile(_ path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError("\(path) is empty") }
        return text
    }

    static func bootstrapLogging() {
        let level = ProcessInfo.processInfo.environment["LEDGERLINE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level ?? .info
            return handler
        }
    }

    /// Where `sql/migrations` is: `LEDGERLINE_SQL_DIR`, or found from the executable or the working directory.
    static func migrationsSearchStart() -> [URL] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return [executable, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
    }
}
