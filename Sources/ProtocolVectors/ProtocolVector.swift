public import Foundation

/// One hostile (or, as a control, genuine) message of `Vectors/protocol`, written by
/// `mock-idp attacks`: a SAML Response (`saml/<name>.xml`) or an ID token
/// (`oidc/<name>.jwt`), and beside it (`<name>.json`) the verdict a careful relying party
/// must reach.
public struct ProtocolVector: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case saml, oidc
        var messageExtension: String { self == .saml ? "xml" : "jwt" }
    }

    public let kind: Kind
    public let name: String
    public let title: String
    /// The attack's family (`signature wrapping`, `XML parsing`, …); ID tokens have none.
    public let family: String?
    public let expected: ProtocolVerdict
    /// The message exactly as committed (the XML document, or the compact JWT).
    public let message: String

    /// Every vector of `directory` (the repository's `Vectors/protocol`), sorted by kind and name.
    public static func load(from directory: URL) throws -> [ProtocolVector] {
        try Kind.allCases.flatMap { kind in
            let folder = directory.appendingPathComponent(kind.rawValue)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix("." + kind.messageExtension) }.map { String($0.dropLast(kind.messageExtension.count + 1)) }.sorted()
            return try names.map { name in
                let description = try JSONDecoder().decode(Description.self, from: Data(contentsOf: folder.appendingPathComponent(name + ".json")))
                var message = try String(contentsOf: folder.appendingPathComponent(name + "." + kind.messageExtension), encoding: .utf8)
                if kind == .oidc { message = message.trimmingCharacters(in: .whitespacesAndNewlines) }
                return ProtocolVector(
                    kind: kind, name: name, title: description.title, family: description.family, expected: try description.expect.verdict(name),
                    message: message)
            }
        }
    }

    /// `<name>.json`, written by `mock-idp attacks` and read by ``load(from:)``: one format
    /// in one place. The accepted subject is `nameID` for SAML, `sub` for ID tokens.
    struct Description: Codable {
        struct Expect: Codable {
            let verdict: String
            let code: String?
            let nameID: String?
            let sub: String?

            func verdict(_ name: String) throws -> ProtocolVerdict {
                switch verdict {
                case "refused": return .refused(code: code ?? "")
                case "accepted": return .accepted(subject: nameID ?? sub ?? "")
                default: throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(name).json: verdict is refused or accepted"])
                }
            }
        }
        let name: String
        let title: String
        let family: String?
        let expect: Expect
    }

    /// The `<name>.json` of a vector: sorted keys, two-space indentation, a final newline.
    public static func descriptionFile(kind: Kind, name: String, title: String, family: String?, expected: ProtocolVerdict) throws -> Data {
        let expect: Description.Expect = switch expected {
        case .refused(let code): .init(verdict: "refused", code: code, nameID: nil, sub: nil)
        case .accepted(let subject): .init(verdict: "accepted", code: nil, nameID: kind == .saml ? subject : nil, sub: kind == .oidc ? subject : nil)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Description(name: name, title: title, family: family, expect: expect)) + Data("\n".utf8)
    }
}

/// What a relying party makes of a message: the subject it accepted, or the code it refused with.
public enum ProtocolVerdict: Equatable, Sendable, CustomStringConvertible {
    case accepted(subject: String)
    case refused(code: String)

    public var description: String {
        switch self {
        case .accepted(let subject): "accepted as \(subject.isEmpty ? "(no subject)" : subject)"
        case .refused(let code): "refused \(code)"
        }
    }
}
