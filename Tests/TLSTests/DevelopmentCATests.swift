import Foundation
import HTTPServing
import IdentityCore
import Testing
import X509

/// `identity-server dev-certs` and every `--tls`: one CA per machine, made once, its key
/// kept private, and a server certificate that grows the names asked for.
struct DevelopmentCATests {
    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-dev-ca-\(UUID().uuidString)")
        return directory
    }

    static func names(_ file: URL) throws -> [String] {
        let certificate = try Certificate(pemEncoded: String(contentsOf: file, encoding: .utf8))
        return try (certificate.extensions.subjectAlternativeNames ?? SubjectAlternativeNames()).compactMap { name in
            switch name {
            case .dnsName(let dns): dns
            case .ipAddress(let octets): octets.bytes.count == 4 ? octets.bytes.map(String.init).joined(separator: ".") : "ipv6"
            default: nil
            }
        }
    }

    @Test func theCAIsMadeOnceAndReusedWithItsKeysReadableByTheOwnerOnly() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let authority = DevelopmentCA(directory: directory)
        let first = try authority.prepare()
        #expect(first.createdCA && first.issuedCertificate)
        #expect(first.names == ["localhost", "127.0.0.1", "::1"])
        let ca = try String(contentsOf: authority.caCertificateFile, encoding: .utf8)
        let second = try authority.prepare()
        #expect(!second.createdCA && !second.issuedCertificate)
        #expect(try String(contentsOf: authority.caCertificateFile, encoding: .utf8) == ca)
        for key in ["ca-key.pem", "localhost-key.pem"] {
            let mode = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(key).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(key) is readable by its owner only")
        }
        // The server certificate is the CA's, for the loopback names, a server's only.
        let leaf = try Certificate(pemEncoded: String(contentsOf: authority.certificateFile, encoding: .utf8))
        let root = try Certificate(pemEncoded: ca)
        #expect(leaf.issuer == root.subject)
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try leaf.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
        #expect(try Self.names(authority.certificateFile) == ["localhost", "127.0.0.1", "ipv6"])
        #expect(try root.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
    }

    @Test func aNameAskedForLaterIsAddedAndEarlierOnesAreKept() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let authority = DevelopmentCA(directory: directory)
        try authority.prepare(names: ["idp.test"])
        let later = try authority.prepare(names: ["SP.test"])
        #expect(later.issuedCertificate && !later.createdCA)
        #expect(Set(try Self.names(authority.certificateFile)) == ["localhost", "127.0.0.1", "ipv6", "idp.test", "sp.test"])
        // Asking again for a name it has issues nothing.
        #expect(try !authority.prepare(names: ["idp.test"]).issuedCertificate)
    }

    @Test func aCertificateNearItsEndIsIssuedAgain() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let authority = DevelopmentCA(directory: directory)
        // Issued 380 days ago: 17 of its 397 days left, under the 30-day margin.
        try authority.prepare(now: Date().addingTimeInterval(-380 * 86_400))
        let before = try String(contentsOf: authority.certificateFile, encoding: .utf8)
        #expect(try authority.prepare().issuedCertificate)
        #expect(try String(contentsOf: authority.certificateFile, encoding: .utf8) != before)
    }

    @Test func aCAKeyThatIsNotTheCertificatesIsRefusedWithItsCode() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let authority = DevelopmentCA(directory: directory)
        try authority.prepare()
        let other = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: other) }
        try DevelopmentCA(directory: other).prepare()
        try FileManager.default.removeItem(at: directory.appendingPathComponent("ca-key.pem"))
        try FileManager.default.copyItem(at: other.appendingPathComponent("ca-key.pem"), to: directory.appendingPathComponent("ca-key.pem"))
        #expect(throws: TLSError(.tlsDevelopmentCA, detail: "")) { try authority.prepare() }
        // Files that are not PEM at all: the same code, and the directory left as it was.
        try Data("not a certificate".utf8).write(to: authority.caCertificateFile)
        #expect(throws: TLSError(.tlsDevelopmentCA, detail: "")) { try authority.prepare() }
        #expect(try String(contentsOf: authority.caCertificateFile, encoding: .utf8) == "not a certificate")
    }

    @Test func partiesStartedTogetherShareOneCA() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let made = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 {
                group.addTask { try DevelopmentCA(directory: directory).prepare().createdCA }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(made.filter { $0 }.count == 1, "exactly one of the six made the CA")
        let leaf = try Certificate(pemEncoded: String(contentsOf: DevelopmentCA(directory: directory).certificateFile, encoding: .utf8))
        let root = try Certificate(pemEncoded: String(contentsOf: DevelopmentCA(directory: directory).caCertificateFile, encoding: .utf8))
        #expect(leaf.issuer == root.subject)
    }

    @Test func theDefaultDirectoryFollowsTheEnvironment() {
        #expect(DevelopmentCA.defaultDirectory(environment: ["IH_DEV_CA_DIR": "/srv/ca"]).path == "/srv/ca")
        #expect(DevelopmentCA.defaultDirectory(environment: ["XDG_DATA_HOME": "/data"]).path == "/data/identity-harness/dev-ca")
        #expect(DevelopmentCA.defaultDirectory(environment: [:]).path.hasSuffix("/.local/share/identity-harness/dev-ca"))
    }
}
