public import Foundation
import Crypto
public import IdentityCore
import SwiftASN1
import X509

/// A certificate authority of this machine's own, for https on a developer's laptop and
/// in CI — the experience of `mkcert`: `identity-server dev-certs` makes it once, prints
/// how to trust it, and every executable's `--tls` serves a certificate it issued for
/// `localhost`, `127.0.0.1`, `::1` and any names asked for. Clients that insist on https
/// (many OpenID Connect libraries for a non-localhost issuer, browsers for `Secure`
/// cookies) then work against the mocks once the CA is trusted.
///
/// The directory holds `ca.pem` (the certificate to trust), `ca-key.pem` (its key: anyone
/// who has it can issue certificates this machine trusts, so it is readable by its owner
/// only and never leaves the machine), and the server certificate `localhost.pem` with its
/// key `localhost-key.pem`. Keys are ECDSA P-256: made in microseconds, and accepted by
/// every TLS 1.2+ client. The CA is kept for ten years; the server certificate for 397
/// days (the most a publicly trusted one may have, which some clients apply to every
/// certificate), and it is issued again when it has less than 30 days left, lacks a name
/// asked for, or was issued by another CA.
public struct DevelopmentCA: Sendable {
    public let directory: URL

    public var caCertificateFile: URL { directory.appendingPathComponent("ca.pem") }
    var caKeyFile: URL { directory.appendingPathComponent("ca-key.pem") }
    public var certificateFile: URL { directory.appendingPathComponent("localhost.pem") }
    public var keyFile: URL { directory.appendingPathComponent("localhost-key.pem") }

    /// The names every server certificate carries.
    public static let loopbackNames = ["localhost", "127.0.0.1", "::1"]
    static let caLifetime: TimeInterval = 10 * 365 * 86_400
    static let leafLifetime: TimeInterval = 397 * 86_400
    static let renewalMargin: TimeInterval = 30 * 86_400

    /// `$IH_DEV_CA_DIR`, else `$XDG_DATA_HOME/identity-harness/dev-ca`, else
    /// `~/.local/share/identity-harness/dev-ca` — outside any checkout, so every clone and
    /// every executable shares one CA that is trusted once.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        PrivateDirectory.location(variable: "IH_DEV_CA_DIR", base: ("XDG_DATA_HOME", ".local/share"), subpath: "identity-harness/dev-ca", environment: environment)
    }

    public init(directory: URL) {
        self.directory = directory
    }

    /// What `prepare` did, for the message the command prints, and the server
    /// certificate and key as read or written under the lock.
    public struct Preparation: Sendable, Equatable {
        public var createdCA = false
        public var issuedCertificate = false
        /// Every name the server certificate carries.
        public var names: [String] = []
        public var certificatePEM = ""
        public var keyPEM = ""
    }

    /// Makes what is missing: the CA (once), and a server certificate for the loopback
    /// names, `names` and the names the present certificate already has. Several processes
    /// started at once (`--tls` on each party in CI) take turns under a file lock, so one
    /// CA is made, not several that overwrite each other. Keys are written before their
    /// certificates: a start cut short leaves a key without its certificate, which the
    /// next start replaces, never a certificate that looks fine beside a key that is not
    /// its own.
    @discardableResult
    public func prepare(names: [String] = [], now: Date = Date()) throws(TLSError) -> Preparation {
        let asked = try names.map { name throws(TLSError) -> String in
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard !trimmed.isEmpty else { throw TLSError(.tlsDevelopmentCA, field: "name", detail: "an empty name") }
            // One spelling per address, as it reads back from a certificate.
            return IPAddressText(trimmed)?.text ?? trimmed
        }
        return try files.withLock(failure) { () throws(TLSError) -> Preparation in
            var preparation = Preparation()
            let authority: Authority
            if FileManager.default.fileExists(atPath: caCertificateFile.path) {
                authority = try readAuthority()
            } else {
                authority = try Authority.make(now: now)
                try write(authority.keyPEM, to: caKeyFile, mode: 0o600)
                try write(try authority.certificatePEM(), to: caCertificateFile, mode: 0o644)
                preparation.createdCA = true
            }
            guard authority.certificate.notValidAfter.timeIntervalSince(now) > Self.renewalMargin else {
                throw TLSError(
                    .tlsDevelopmentCA, field: "ca.pem", value: caCertificateFile.path,
                    detail: "the development CA expires on \(authority.certificate.notValidAfter); move \(directory.path) aside to make a new one (and trust it)")
            }
            let present = try? presentLeaf()
            var wanted = Self.loopbackNames + asked
            wanted += (present?.names ?? []).filter { !wanted.contains($0) }
            wanted = wanted.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            if let present, present.issuer == authority.certificate.subject, Set(wanted).isSubset(of: Set(present.names)),
                present.notValidAfter.timeIntervalSince(now) > Self.renewalMargin, present.keyMatches
            {
                preparation.names = present.names
                (preparation.certificatePEM, preparation.keyPEM) = (present.certificatePEM, present.keyPEM)
                return preparation
            }
            let leaf = try authority.issue(names: wanted, now: now)
            try write(leaf.keyPEM, to: keyFile, mode: 0o600)
            try write(leaf.certificatePEM, to: certificateFile, mode: 0o644)
            preparation.issuedCertificate = true
            preparation.names = wanted
            (preparation.certificatePEM, preparation.keyPEM) = (leaf.certificatePEM, leaf.keyPEM)
            return preparation
        }
    }

    /// The server certificate and key, prepared first — the pair read under the lock, so a
    /// process issuing another certificate at the same moment cannot split it.
    public func serverTLS(names: [String] = []) throws(TLSError) -> ServerTLS {
        try serverTLS(try prepare(names: names))
    }

    /// The server certificate and key `prepared` read or wrote.
    public func serverTLS(_ prepared: Preparation) throws(TLSError) -> ServerTLS {
        try ServerTLS(certificateChainPEM: prepared.certificatePEM, privateKeyPEM: prepared.keyPEM, source: certificateFile.path)
    }

    /// How to make clients trust the CA — printed by `dev-certs` and when `--tls` first
    /// makes it.
    public var trustInstructions: String {
        let ca = caCertificateFile.path
        return """
            The development CA is \(ca)
            Trust it where your clients look (the CA's key, ca-key.pem beside it, must never leave this machine):
              one program:   SSL_CERT_FILE=\(ca) (OpenSSL, Python ssl, curl), NODE_EXTRA_CA_CERTS=\(ca) (Node.js),
                             REQUESTS_CA_BUNDLE=\(ca) (Python requests), curl --cacert \(ca)
              the harness:   caBundle: \(ca)   (in a target or app file)
              Debian/Ubuntu: sudo cp \(ca) /usr/local/share/ca-certificates/identity-harness-dev.crt && sudo update-ca-certificates
              Fedora/RHEL:   sudo cp \(ca) /etc/pki/ca-trust/source/anchors/ && sudo update-ca-trust
              macOS:         sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain \(ca)
              Chromium/Firefox on Linux (NSS): certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n identity-harness-dev -i \(ca)
              Java:          keytool -importcert -cacerts -alias identity-harness-dev -file \(ca)
            """
    }

    /// A CA that lives only in memory, and a server certificate it issued for `names`:
    /// for one run (`harness run --tls`) whose parties and clients all live in one
    /// process, so nothing is written and nothing needs trusting beyond the run.
    public static func ephemeral(names: [String]) throws(TLSError) -> (caCertificatePEM: String, server: ServerTLS) {
        let now = Date()
        let authority = try Authority.make(now: now)
        let leaf = try authority.issue(names: names, now: now)
        return (try authority.certificatePEM(), try ServerTLS(certificateChainPEM: leaf.certificatePEM, privateKeyPEM: leaf.keyPEM, source: "a CA made for this run"))
    }

    // MARK: files

    private func readAuthority() throws(TLSError) -> Authority {
        do {
            let certificate = try Certificate(pemEncoded: String(contentsOf: caCertificateFile, encoding: .utf8))
            let key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: caKeyFile, encoding: .utf8))
            guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
                throw TLSError(.tlsDevelopmentCA, field: "ca-key.pem", value: caKeyFile.path, detail: "ca-key.pem is not the key of ca.pem")
            }
            return Authority(certificate: certificate, key: key)
        } catch let error as TLSError {
            throw error
        } catch {
            throw TLSError(
                .tlsDevelopmentCA, field: "ca.pem", value: caCertificateFile.path,
                detail: "\(directory.path) holds a ca.pem or ca-key.pem this tool cannot read (\(error)); move the directory aside to make a new CA")
        }
    }

    private func presentLeaf() throws -> (
        issuer: DistinguishedName, names: [String], notValidAfter: Date, keyMatches: Bool, certificatePEM: String, keyPEM: String
    )? {
        guard FileManager.default.fileExists(atPath: certificateFile.path), FileManager.default.fileExists(atPath: keyFile.path) else { return nil }
        let certificatePEM = try String(contentsOf: certificateFile, encoding: .utf8)
        let keyPEM = try String(contentsOf: keyFile, encoding: .utf8)
        let leaf = try Certificate(pemEncoded: certificatePEM)
        let names = try (leaf.extensions.subjectAlternativeNames ?? SubjectAlternativeNames()).compactMap(Self.text)
        let keyMatches = (try? P256.Signing.PrivateKey(pemRepresentation: keyPEM)).map { leaf.publicKey == Certificate.PublicKey($0.publicKey) } ?? false
        return (leaf.issuer, names, leaf.notValidAfter, keyMatches, certificatePEM, keyPEM)
    }

    /// The directory's lock and file writes (``PrivateDirectory``), failing as this CA's error.
    private var files: PrivateDirectory { PrivateDirectory(directory) }

    private func write(_ text: String, to file: URL, mode: mode_t) throws(TLSError) {
        do {
            try files.write(text, to: file.lastPathComponent, mode: mode)
        } catch {
            throw failure(error)
        }
    }

    private func failure(_ failure: PrivateDirectory.Failure) -> TLSError {
        TLSError(.tlsDevelopmentCA, field: "directory", value: directory.path, detail: failure.detail)
    }

    static func text(_ name: GeneralName) -> String? {
        switch name {
        case .dnsName(let dns): return dns
        case .ipAddress(let octets): return IPAddressText(Array(octets.bytes)).map(\.text)
        default: return nil
        }
    }
}

/// A CA certificate and its key: issues server certificates.
struct Authority: Sendable {
    let certificate: Certificate
    let key: P256.Signing.PrivateKey

    func certificatePEM() throws(TLSError) -> String {
        do {
            return try certificate.serializeAsPEM().pemString
        } catch {
            throw TLSError(.tlsDevelopmentCA, detail: "cannot encode the CA certificate: \(error)")
        }
    }
    var keyPEM: String { key.pemRepresentation }

    /// A CA named for this machine and the moment, so two machines' CAs are never confused
    /// in a trust store; it may sign server certificates only (path length 0).
    static func make(now: Date) throws(TLSError) -> Authority {
        let key = P256.Signing.PrivateKey()
        let host = ProcessInfo.processInfo.hostName
        do {
            let name = try DistinguishedName {
                OrganizationName("Identity Harness development CA")
                OrganizationalUnitName("\(NSUserName())@\(host)")
                CommonName("Identity Harness development CA \(Int(now.timeIntervalSince1970))")
            }
            let publicKey = Certificate.PublicKey(key.publicKey)
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-3_600), notValidAfter: now.addingTimeInterval(DevelopmentCA.caLifetime),
                issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: publicKey)
                },
                issuerPrivateKey: Certificate.PrivateKey(key))
            return Authority(certificate: certificate, key: key)
        } catch {
            throw TLSError(.tlsDevelopmentCA, detail: "cannot make the CA certificate: \(error)")
        }
    }

    /// A server certificate for `names` (DNS names and IP addresses).
    func issue(names: [String], now: Date) throws(TLSError) -> (certificatePEM: String, keyPEM: String) {
        let leafKey = P256.Signing.PrivateKey()
        do {
            let alternatives = names.map { name -> GeneralName in
                if let address = IPAddressText(name) { return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(address.bytes))) }
                return .dnsName(name)
            }
            let publicKey = Certificate.PublicKey(leafKey.publicKey)
            let leaf = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
                // Never past the CA's own end: a chain is only as valid as its root.
                notValidBefore: now.addingTimeInterval(-3_600),
                notValidAfter: min(now.addingTimeInterval(DevelopmentCA.leafLifetime), certificate.notValidAfter),
                issuer: certificate.subject, subject: try DistinguishedName { CommonName(names.first ?? "localhost") },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames(alternatives)
                    SubjectKeyIdentifier(hash: publicKey)
                    AuthorityKeyIdentifier(keyIdentifier: try certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
                },
                issuerPrivateKey: Certificate.PrivateKey(key))
            return (try leaf.serializeAsPEM().pemString, leafKey.pemRepresentation)
        } catch {
            throw TLSError(.tlsDevelopmentCA, detail: "cannot issue the server certificate for \(names.joined(separator: ", ")): \(error)")
        }
    }
}
