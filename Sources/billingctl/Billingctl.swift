import ArgumentParser

@main
struct Billingctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billingctl",
        abstract: "Talk to a Ledgerline server over its JSON-RPC protocol.",
        subcommands: [CallCommand.self, HelloCommand.self, TenantsCommand.self]
    )
}
