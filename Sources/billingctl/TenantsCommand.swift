import ArgumentParser
import BillingProtocol

struct TenantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenants",
        abstract: "Operator: create and list tenants.",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant and print it with its first API key and secret (shown once)."
        )

        @Option(help: "The company's name.")
        var name: String

        @Option(help: "Default currency (ISO 4217).")
        var currency: String

        @Option(help: "The legal entity's country (ISO 3166-1 alpha-2).")
        var country: String

        @Option(help: "The legal entity's name (default: --name).")
        var legalName: String?

        @Option(help: "The legal entity's VAT number.")
        var vatNumber: String?

        @Option(help: "IANA time zone (default UTC).")
        var timezone: String?

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let params = TenantsCreate.Params(
                name: name,
                defaultCurrency: currency,
                timezone: timezone,
                legalEntity: LegalEntity(name: legalName ?? name, country: country, vatNumber: vatNumber)
            )
            try await withClient(connection) { client in
                try WireCoding.value(of: try await client.call(TenantsCreate.self, params))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")

        @Option(help: "At most this many (1–1000).")
        var limit: Int?

        @Option(help: "next_cursor of the previous page.")
        var cursor: String?

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await withClient(connection) { client in
                try WireCoding.value(
                    of: try await client.call(TenantsList.self, PageRequest(limit: limit, cursor: cursor)))
            }
        }
    }
}
