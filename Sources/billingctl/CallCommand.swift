import ArgumentParser
import BillingProtocol
import Foundation

struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call any method with JSON params and print its result."
    )

    @Argument(help: "The method, e.g. ping or tenants.list.")
    var method: String

    @Argument(help: "Params as a JSON object (default {}).")
    var params: String = "{}"

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let parsed = try? WireCoding.parse(Data(params.utf8)), case .object = parsed else {
            throw ValidationError("params must be a JSON object, e.g. '{\"limit\":10}'")
        }
        try await withClient(connection) { client in
            try await client.call(method: method, params: parsed)
        }
    }
}

struct HelloCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hello",
        abstract: "Say hello with the given credentials and print who the session acts for."
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard try connection.helloParams() != nil else {
            throw ValidationError("give --api-key and --api-secret, or --operator-token(-file)")
        }
        try await reportingErrors {
            let (client, result) = try await connection.connect()
            await client.close()
            if let result { try printJSON(result) }
        }
    }
}
