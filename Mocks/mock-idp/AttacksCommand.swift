import ArgumentParser
import Foundation
import MockSupport
import ProtocolVectors
import XMLSecurity
import Crypto
import _CryptoExtras

extension MockIdPCommand {
    /// `mock-idp attacks --out DIR`: writes the hostile SAML Responses of
    /// ``SAMLAttackCatalogue`` as files, to replay at any SP.
    struct Attacks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the catalogues of hostile SAML Responses (XSW1–8, XXE, expired, …) and ID tokens (alg none, HS256 confusion, …) with what a relying party must do with each.",
            discussion: """
                OUT/saml: each attack is <name>.xml (the Response, to POST base64-encoded as SAMLResponse to an ACS) and <name>.json \
                (what it is and the verdict expected); context.json names the entity IDs, ACS URL, request ID, time and certificate \
                they were built for. OUT/oidc: <name>.jwt ID tokens, jwks.json (the keys the RP trusts) and context.json (issuer, \
                client ID, nonce, access token, time). Give your SP's values to attack your own SP.
                """)

        @Option(help: "Directory to write to (saml/ and oidc/ inside).")
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
        @Option(help: "OIDC: the issuer.") var issuer = "https://partner-idp.example"
        @Option(help: "OIDC: the relying party's client ID.") var clientID = "identity-server-client"
        @Option(help: "OIDC: the IdP's EC key (PEM), published for ES256.") var ecKey = "Mocks/keys/server-ec.key"

        func run() throws {
            guard let time = try? Date(now, strategy: .iso8601) else { throw ValidationError("--now is not an ISO 8601 time: \(now)") }
            func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            var context = SAMLAttackCatalogue.Context(
                signing: try SPProfile.KeyPairFiles(privateKey: key, certificate: certificate).credential(relativeTo: here),
                attacker: try SPProfile.KeyPairFiles(privateKey: attackerKey, certificate: attackerCertificate).credential(relativeTo: here))
            context.idpEntityID = idpEntityID
            context.spEntityID = spEntityID
            context.acs = acs
            context.requestID = requestID
            context.now = time
            let directory = URL(fileURLWithPath: out).appendingPathComponent("saml")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let entries = try SAMLAttackCatalogue(context).entries()
            try Self.json([
                "idpEntityID": idpEntityID, "spEntityID": spEntityID, "acs": acs, "outstandingRequestIDs": [requestID], "now": now,
                "trustedCertificate": certificate, "clockSkewSeconds": 60, "allowUnsolicited": false,
            ]).write(to: directory.appendingPathComponent("context.json"))
            for entry in entries {
                try Data(entry.xml.utf8).write(to: directory.appendingPathComponent("\(entry.name).xml"))
                try ProtocolVector.descriptionFile(kind: .saml, name: entry.name, title: entry.title, family: entry.family, expected: entry.expected)
                    .write(to: directory.appendingPathComponent("\(entry.name).json"))
            }
            print("wrote \(entries.count) SAML attacks to \(directory.path)")
            try writeOIDC(to: URL(fileURLWithPath: out).appendingPathComponent("oidc"), now: time, read: read)
        }

        func writeOIDC(to directory: URL, now time: Date, read: (String) throws -> String) throws {
            var context = JWTAttackCatalogue.Context(
                key: try _RSA.Signing.PrivateKey(pemRepresentation: read(key)),
                ecKey: try P256.Signing.PrivateKey(pemRepresentation: read(ecKey)).publicKey,
                attacker: try _RSA.Signing.PrivateKey(pemRepresentation: read(attackerKey)))
            context.issuer = issuer
            context.clientID = clientID
            context.now = time
            let catalogue = JWTAttackCatalogue(context)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data((try catalogue.jwks() + "\n").utf8).write(to: directory.appendingPathComponent("jwks.json"))
            try Self.json([
                "issuer": issuer, "clientID": clientID, "nonce": context.nonce, "accessToken": context.accessToken, "now": now,
                "clockSkewSeconds": 60,
            ]).write(to: directory.appendingPathComponent("context.json"))
            let entries = try catalogue.entries()
            for entry in entries {
                try Data((entry.token + "\n").utf8).write(to: directory.appendingPathComponent("\(entry.name).jwt"))
                try ProtocolVector.descriptionFile(kind: .oidc, name: entry.name, title: entry.title, family: nil, expected: entry.expected)
                    .write(to: directory.appendingPathComponent("\(entry.name).json"))
            }
            print("wrote \(entries.count) ID token attacks to \(directory.path)")
        }

        static func json(_ object: [String: Any]) throws -> Data {
            var data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            return data
        }
    }
}
