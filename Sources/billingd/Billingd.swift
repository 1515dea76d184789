import ArgumentParser

@main
struct Billingd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billingd",
        abstract: "The Ledgerline billing server.",
        subcommands: [ServeCommand.self, WorkerCommand.self, MigrateCommand.self, DevCommand.self]
    )
}
