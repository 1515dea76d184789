import Foundation

/// One reporting view for DBAs: `sql/reports/<name>.sql`, which drops and creates
/// `reporting.<name>`. Unlike migrations, views are not versioned: every migrate creates them all
/// again, in name order, so a view always matches the schema it reads.
public struct ReportView: Sendable, Equatable {
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    /// Reads every `*.sql` of the `reports` folder beside `migrations` (none when it has none).
    public static func load(besides migrations: URL) throws -> [ReportView] {
        let folder = migrations.deletingLastPathComponent().appendingPathComponent("reports")
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
            .map { file in
                ReportView(
                    name: String(file.dropLast(4)),
                    sql: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))
            }
    }
}
