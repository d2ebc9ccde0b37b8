import ArgumentParser
import Foundation
import IdentityStorageSQLite
import ServerCommandLine
import ServerUnderTest

/// `identity-server-test`: the reference server with the hooks only tests may use — a
/// conformance target the harness resets per scenario, and a fault a crash test kills it
/// in. Never deploy it: the shipped `identity-server` has neither.
@main
struct IdentityServerTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity-server-test",
        abstract: "TEST ONLY: the reference identity server with test control and fault injection.")

    @OptionGroup var options: ServerOptions

    @Option(help: """
        Also listen on this port for the harness's conformance mode, which resets the whole server per scenario (fixed \
        clock, seeded IDs, no sample SPs or users) and moves its clock. Needs --in-memory.
        """)
    var testControl: Int?

    @Option(help: """
        Crash tests: write this file and stall inside the transaction that inserts a user, so the test can SIGKILL the \
        server with the transaction open. Needs a database file.
        """)
    var stallUserInsert: String?

    func validate() throws {
        if testControl != nil && !options.inMemory {
            throw ValidationError("--test-control wipes the server per scenario: it runs only with --in-memory")
        }
        if stallUserInsert != nil && options.inMemory {
            throw ValidationError("--stall-user-insert stalls a SQLite transaction: it needs a database file, not --in-memory")
        }
    }

    func run() async throws {
        try await ServerOptions.exitingOnCodedError("identity-server-test") {
            if let testControl {
                try await TestControl.serve(options.launch(), controlPort: testControl)
            } else if let marker = stallUserInsert {
                try await options.launch(database: .file(path: options.db, faults: .stallingUserInsert(marker: marker))).run()
            } else {
                try await options.launch().run()
            }
        }
    }
}
