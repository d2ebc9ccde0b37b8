import ArgumentParser
import Foundation
import MockSupport
import XMLSecurity

extension MockIdPCommand {
    /// `mock-idp attacks --out DIR`: writes the hostile SAML Responses of
    /// ``SAMLAttackCatalogue`` as files, to replay at any SP.
    struct Attacks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the catalogue of hostile SAML Responses (signature wrapping XSW1–8, XXE, expired, …) with what an SP must do with each.",
            discussion: """
                Each attack is <name>.xml (the Response, to POST base64-encoded as SAMLResponse to an ACS) and <name>.json (what \
                it is and the verdict expected); context.json names the entity IDs, ACS URL, request ID, time and certificate they \
                were built for. Give your SP's values to attack your own SP.
                """)

        @Option(help: "Directory to write to.")
        var out: String
        @Option(help: "The IdP's entity ID (SAML Issuer).") var idpEntityID = "https://partner-idp.example/saml"
        @Option(help: "The SP's entity ID (the Audience).") var spEntityID = "https://identity-server.example/sp"
        @Option(help: "The SP's ACS URL (Destination and Recipient).") var acs = "https://identity-server.example/commonauth"
        @Option(help: "The AuthnRequest ID the Responses answer.") var requestID = "_request-1"
        @Option(help: "Issue time, ISO 8601.") var now = "2026-01-01T09:00:00Z"
        @Option(help: "The IdP's signing key (PEM).") var key = "Mocks/keys/idp-rsa.key"
        @Option(help: "The IdP's certificate (PEM), which the SP trusts.") var certificate = "Mocks/keys/idp-rsa.crt"
        @Option(help: "The attacker's key (PEM).") var attackerKey = "Mocks/keys/attacker-rsa.key"
        @Option(help: "The attacker's certificate (PEM).") var attackerCertificate = "Mocks/keys/attacker-rsa.crt"

        func run() throws {
            guard let time = try? Date(now, strategy: .iso8601) else { throw ValidationError("--now is not an ISO 8601 time: \(now)") }
            func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
            var context = SAMLAttackCatalogue.Context(
                signing: try SigningCredential(keyPEM: read(key), certificatePEM: read(certificate)),
                attacker: try SigningCredential(keyPEM: read(attackerKey), certificatePEM: read(attackerCertificate)))
            context.idpEntityID = idpEntityID
            context.spEntityID = spEntityID
            context.acs = acs
            context.requestID = requestID
            context.now = time
            let directory = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let entries = try SAMLAttackCatalogue(context).entries()
            try Self.json([
                "idpEntityID": idpEntityID, "spEntityID": spEntityID, "acs": acs, "outstandingRequestIDs": [requestID], "now": now,
                "trustedCertificate": certificate, "clockSkewSeconds": 60, "allowUnsolicited": false,
            ]).write(to: directory.appendingPathComponent("context.json"))
            for entry in entries {
                try Data(entry.xml.utf8).write(to: directory.appendingPathComponent("\(entry.name).xml"))
                let expect: [String: Any] = switch entry.expected {
                case .refused(let code): ["verdict": "refused", "code": code]
                case .accepted(let nameID): ["verdict": "accepted", "nameID": nameID]
                }
                try Self.json(["name": entry.name, "family": entry.family, "title": entry.title, "expect": expect])
                    .write(to: directory.appendingPathComponent("\(entry.name).json"))
            }
            print("wrote \(entries.count) SAML attacks to \(directory.path)")
        }

        static func json(_ object: [String: Any]) throws -> Data {
            var data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            return data
        }
    }
}
