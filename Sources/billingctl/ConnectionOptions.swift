import ArgumentParser
import BillingClient
import BillingProtocol
import Foundation

/// Where the server is and who to say hello as; each flag falls back to a `LEDGERLINE_*` variable.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Server HOST:PORT (env LEDGERLINE_ADDRESS, default 127.0.0.1:7070).")
    var address: String?

    @Option(help: "Tenant API key (env LEDGERLINE_API_KEY).")
    var apiKey: String?

    @Option(help: "Tenant API secret (env LEDGERLINE_API_SECRET).")
    var apiSecret: String?

    @Option(help: "Operator token (env LEDGERLINE_OPERATOR_TOKEN).")
    var operatorToken: String?

    @Option(help: "File holding the operator token (env LEDGERLINE_OPERATOR_TOKEN_FILE).")
    var operatorTokenFile: String?

    @Flag(help: "Connect with TLS, verified against the system trust store (env LEDGERLINE_TLS=1).")
    var tls = false

    @Option(help: "PEM file of the certificates to trust; implies --tls (env LEDGERLINE_TLS_CA_FILE).")
    var tlsCaFile: String?

    private func setting(_ flag: String?, _ name: String) -> String? {
        flag ?? ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The hello params these options describe, or nil when no credentials were given.
    func helloParams() throws -> Hello.Params? {
        if let token = setting(operatorToken, "LEDGERLINE_OPERATOR_TOKEN") {
            return Hello.Params(operatorToken: token, client: "billingctl")
        }
        if let file = setting(operatorTokenFile, "LEDGERLINE_OPERATOR_TOKEN_FILE") {
            let token = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
            return Hello.Params(operatorToken: token, client: "billingctl")
        }
        if let key = setting(apiKey, "LEDGERLINE_API_KEY") {
            guard let secret = setting(apiSecret, "LEDGERLINE_API_SECRET") else {
                throw ValidationError("--api-key needs --api-secret (or LEDGERLINE_API_SECRET)")
            }
            return Hello.Params(apiKey: key, apiSecret: secret, client: "billingctl")
        }
        return nil
    }

    /// Connects, and says hello when credentials were given; returns the hello result too.
    func connect() async throws -> (BillingClient, Hello.Result?) {
        let trustRoots = setting(tlsCaFile, "LEDGERLINE_TLS_CA_FILE")
        let wantsTLS = tls || trustRoots != nil || setting(nil, "LEDGERLINE_TLS") == "1"
        let client = try await BillingClient.connect(
            address: setting(address, "LEDGERLINE_ADDRESS") ?? "127.0.0.1:7070",
            tls: wantsTLS ? try ClientTLS(trustRootsFile: trustRoots) : nil)
        guard let hello = try helloParams() else { return (client, nil) }
        do {
            return (client, try await client.call(Hello.self, hello))
        } catch {
            await client.close()
            throw error
        }
    }
}

/// Runs `body` with a connected client and prints its JSON result.
func withClient(_ options: ConnectionOptions, _ body: (BillingClient) async throws -> JSONValue) async throws {
    try await reportingErrors {
        let (client, _) = try await options.connect()
        let result: JSONValue
        do {
            result = try await body(client)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
        try printJSON(result)
    }
}

/// Prints an error response to stderr as JSON and exits 1, the way every command reports one.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as RPCError {
        FileHandle.standardError.write(try WireCoding.encode(error) + Data("\n".utf8))
        throw ExitCode(1)
    }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
}
