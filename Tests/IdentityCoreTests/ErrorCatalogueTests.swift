import Foundation
import IdentityCore
import Testing

/// The error catalogue: every code declared once, documented, and reached by a test or a
/// scenario — so a newcomer finds, for any error a user sees, the one line that declares it.
@Suite struct ErrorCatalogueTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(under folder: String, extensions: Set<String>) -> [URL] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { extensions.contains($0.pathExtension) }
    }

    @Test func everyDeclaredCodeIsListedOnceAndNoValueIsUsedTwice() throws {
        let sources = Self.files(under: "Sources/IdentityCore/Errors", extensions: ["swift"])
        let pattern = try Regex(#"public static let \w+ = ErrorCode\(\s*"([^"]+)""#)
        var declared = [String]()
        for file in sources {
            let text = try String(contentsOf: file, encoding: .utf8)
            declared += text.matches(of: pattern).compactMap { $0.output[1].substring.map(String.init) }
        }
        let listed = ErrorCatalogue.all.map(\.rawValue)
        #expect(declared.sorted() == listed.sorted(), "declared but not listed, or listed twice")
        #expect(Set(listed).count == listed.count, "a code value used twice")
        // Nowhere else declares codes: only the catalogue can (ErrorCode's initialiser is internal).
        for file in Self.files(under: "Sources", extensions: ["swift"]) + Self.files(under: "Mocks", extensions: ["swift"])
        where !file.path.contains("/IdentityCore/Errors/") {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("ErrorCode(rawValue:"), "\(file.lastPathComponent) makes a code from a string")
        }
    }

    @Test func everyCodeHasAMessageAndTheRefusalsAnApplicationHearsHaveBothProtocolAnswers() {
        for code in ErrorCatalogue.all {
            #expect(!code.message.isEmpty && !code.summary.isEmpty, "\(code)")
            #expect((100...599).contains(code.status), "\(code)")
            if code.area == "auth" { #expect((code.samlStatus == nil) == (code.oauthError == nil), "\(code): one protocol's answer without the other's") }
        }
    }

    @Test func docsErrorsIsTheCatalogue() throws {
        let documented = try String(contentsOf: Self.root.appendingPathComponent("docs/ERRORS.md"), encoding: .utf8)
        #expect(documented == ErrorCatalogue.markdown, "docs/ERRORS.md is stale: swift run harness errors > docs/ERRORS.md")
    }

    @Test func everyCodeIsReachedByATestOrAScenario() throws {
        var corpus = ""
        for file in Self.files(under: "Tests", extensions: ["swift"]) + Self.files(under: "Vectors", extensions: ["json", "yaml"])
        where file.lastPathComponent != "ErrorCatalogueTests.swift" {
            corpus += try String(contentsOf: file, encoding: .utf8)
        }
        let names = try Self.staticNames()
        // By its value, by its Swift name in a test, or — an OAuth error — as the `error`
        // a client recorded or a redirect carried.
        let unreached = ErrorCatalogue.all.filter { code in
            !corpus.contains(code.rawValue) && !(names[code.rawValue].map { corpus.contains(".\($0)") } ?? false)
                && !(code.area == "oauth" && code.oauthError.map { corpus.contains("\"\($0)\"") || corpus.contains("error: \($0)") || corpus.contains("error=\($0)&") } ?? false)
        }
        #expect(unreached.isEmpty, "no test or scenario reaches \(unreached.map(\.rawValue))")
    }

    /// Code value → its Swift name, from the catalogue's source.
    static func staticNames() throws -> [String: String] {
        let pattern = try Regex(#"public static let (\w+) = ErrorCode\(\s*"([^"]+)""#)
        var names = [String: String]()
        for file in files(under: "Sources/IdentityCore/Errors", extensions: ["swift"]) {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: pattern) {
                if let name = match.output[1].substring, let value = match.output[2].substring { names[String(value)] = String(name) }
            }
        }
        return names
    }
}
