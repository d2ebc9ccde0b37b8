import ArgumentParser
import IdentityCore

extension HarnessCommand {
    /// `harness errors`: the error catalogue as Markdown (what docs/ERRORS.md holds).
    struct Errors: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every error code with its HTTP status, SAML status, OAuth error and public message (docs/ERRORS.md).")

        func run() {
            print(ErrorCatalogue.markdown, terminator: "")
        }
    }
}
