import Crypto
import Foundation

/// One forward-only schema change: `sql/migrations/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the file's bytes, hex: an applied migration whose file changed is refused.
    public let checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads every `NNNN_name.sql` in `directory`, in version order.
    public static func load(from directory: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
        var migrations: [Migration] = []
        for file in files {
            let stem = String(file.dropLast(4))
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]) else {
                throw MigrationError.badFileName(file)
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: stem, sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version {
            throw MigrationError.duplicateVersion(earlier.name, later.name)
        }
        return migrations
    }

    /// Finds `sql/migrations` from the environment (`LEDGERLINE_SQL_DIR`), or by walking up from
    /// `start` (the executable's folder, then the working directory) to the checkout.
    public static func locateDirectory(startingAt starts: [URL]) throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["LEDGERLINE_SQL_DIR"] {
            return URL(fileURLWithPath: configured).appendingPathComponent("migrations")
        }
        for start in starts {
            var folder = start.standardizedFileURL
            while folder.path != "/" {
                let candidate = folder.appendingPathComponent("sql/migrations")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("0001_platform.sql").path) {
                    return candidate
                }
                folder.deleteLastPathComponent()
            }
        }
        throw MigrationError.directoryNotFound
    }
}

/// Why migrating stopped; nothing of the failing migration was applied.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case badFileName(String)
    case duplicateVersion(String, String)
    case edited(name: String, applied: String, onDisk: String)
    case missingFile(String)
    case directoryNotFound

    public var description: String {
        switch self {
        case .badFileName(let file):
            return "migration file \(file) is not named NNNN_name.sql"
        case .duplicateVersion(let first, let second):
            return "migrations \(first) and \(second) have the same version number"
        case .edited(let name, let applied, let onDisk):
            return
                "migration \(name) was edited after it was applied (applied checksum \(applied), file now \(onDisk)); "
                + "applied migrations never change: restore the file and add a new migration instead"
        case .missingFile(let name):
            return "migration \(name) is applied in the database but its file is missing"
        case .directoryNotFound:
            return "cannot find sql/migrations; set LEDGERLINE_SQL_DIR to the folder holding migrations/"
        }
    }
}
