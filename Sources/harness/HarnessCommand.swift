import ArgumentParser

@main
struct HarnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness",
        abstract: "Runs identity federation scenarios and checks every party's observations against recorded vectors.",
        subcommands: [Run.self, Record.self, List.self, CoverageCommand.self, Show.self, Bench.self, Errors.self, IdP.self, Worker.self],
        defaultSubcommand: Run.self)
}
