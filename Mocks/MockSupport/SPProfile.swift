public import Foundation
import IdentityCore
public import StrictYAML
public import SAML
public import XMLSecurity

/// A mock SAML service provider's profile (`Mocks/sps/<name>.yaml`): who it is, how it
/// signs, which IdP it trusts, and — in `registration` — the record the identity server
/// needs for it, which the harness registers through the admin API.
public struct SPProfile: Decodable, Sendable {
    public var kind: String
    public var entityID: String
    public var signing: KeyPairFiles
    /// The key `sign=forged` signs with: one no server trusts.
    public var forgery: KeyPairFiles
    public var signatureAlgorithm: String
    public var idp: TrustedIdP
    public var allowUnsolicited: Bool
    /// Accepted clock skew for assertion time checks, in seconds.
    public var clockSkewSeconds: Int
    /// The server-side service provider record, with placeholders.
    public var registration: ConfigValue?
    /// The `index` of the first ACS endpoint in this SP's metadata (`/metadata`): 0, or 1
    /// as most real SPs number them (SA-3: the index is the metadata's, not a position).
    public var metadataFirstIndex: Int
    /// XML Encryption algorithms the metadata's `KeyDescriptor use="encryption"` lists;
    /// none: no encryption key is published.
    public var encryptionMethods: [String]
    /// Keep a browser session after an accepted login and answer `GET /whoami` (the
    /// control application of `harness run --app`; see ``MockSessions``).
    public var sessions: Bool
    /// How it answers a LogoutRequest from the IdP (SA-10): `success`, `error` (a
    /// Responder status: it could not log the person out), `none` (it never answers,
    /// leaving the browser on its page), `slow` or `forged`.
    public var sloAnswer: SLOAnswer
    /// How it sends logout messages to the IdP.
    public var sloBinding: SAMLBinding

    /// `slow`: Success, but only after ``MockIdentityProvider/stallSeconds`` — for an IdP's
    /// server-to-server LogoutRequest, a participant that never answers in time.
    /// `forged`: Success, signed with the forgery key — an answer the IdP must not trust.
    public enum SLOAnswer: String, Decodable, Sendable { case success, error, none, slow, forged }

    public struct KeyPairFiles: Decodable, Sendable {
        public var privateKey: String
        public var certificate: String

        public init(privateKey: String, certificate: String) {
            self.privateKey = privateKey
            self.certificate = certificate
        }

        /// The key pair, its paths read relative to `directory`. A certificate that is not
        /// the key's fails the start: the mock would otherwise send, in SAML KeyInfo and
        /// metadata, a certificate its signatures do not verify with.
        public func credential(relativeTo directory: URL) throws -> SigningCredential {
            func read(_ path: String) throws -> String {
                try String(contentsOf: URL(fileURLWithPath: path, relativeTo: directory), encoding: .utf8)
            }
            let credential = try SigningCredential(keyPEM: read(privateKey), certificatePEM: read(certificate))
            guard credential.certificateIsTheKeys else {
                throw MockError(.mockProfileInvalid, field: "certificate", value: certificate, detail: "the certificate is not the private key's (\(privateKey))")
            }
            return credential
        }
    }

    public struct TrustedIdP: Decodable, Sendable {
        public var entityID: String
        /// The SSO service URL; `{server}` is the identity server's base URL.
        public var ssoURL: String
        /// Certificates (PEM files) whose keys may sign the IdP's responses.
        public var certificates: [String]
        /// The single logout service URL; none: the SSO URL (WSO2 takes both at `/samlsso`).
        public var sloURL: String?
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, entityID, signing, forgery, signatureAlgorithm, idp, allowUnsolicited, clockSkewSeconds, registration, metadataFirstIndex,
            encryptionMethods, sessions, sloAnswer, sloBinding
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind)
        entityID = try c.decode(String.self, forKey: .entityID)
        signing = try c.decode(KeyPairFiles.self, forKey: .signing)
        forgery = try c.decode(KeyPairFiles.self, forKey: .forgery)
        signatureAlgorithm = try c.decodeIfPresent(String.self, forKey: .signatureAlgorithm) ?? SignatureAlgorithm.rsaSHA256.rawValue
        idp = try c.decode(TrustedIdP.self, forKey: .idp)
        allowUnsolicited = try c.decodeIfPresent(Bool.self, forKey: .allowUnsolicited) ?? true
        clockSkewSeconds = try c.decodeIfPresent(Int.self, forKey: .clockSkewSeconds) ?? 60
        registration = try c.decodeIfPresent(ConfigValue.self, forKey: .registration)
        metadataFirstIndex = try c.decodeIfPresent(Int.self, forKey: .metadataFirstIndex) ?? 0
        encryptionMethods = try c.decodeIfPresent([String].self, forKey: .encryptionMethods) ?? []
        sessions = try c.decodeIfPresent(Bool.self, forKey: .sessions) ?? false
        sloAnswer = try c.decodeIfPresent(SLOAnswer.self, forKey: .sloAnswer) ?? .success
        sloBinding = try c.decodeIfPresent(SAMLBinding.self, forKey: .sloBinding) ?? .redirect
    }

    /// Reads a profile file, optionally merging overrides into it before decoding.
    public static func load(_ file: URL, overrides: ConfigValue? = nil) throws -> SPProfile {
        let text = try String(contentsOf: file, encoding: .utf8)
        var value = ConfigValue(node: try StrictYAML.node(from: text, file: file.path))
        if let overrides { value = value.merging(overrides) }
        return try load(value, file: file)
    }

    static func load(_ value: ConfigValue, file: URL) throws -> SPProfile {
        try StrictYAML.decode(SPProfile.self, from: value.node, file: file.path) { profile in
            guard profile.kind == "saml" else {
                throw MockError(.mockProfileInvalid, field: "kind", value: profile.kind, detail: "mock-sp speaks kind: saml")
            }
            guard SignatureAlgorithm(rawValue: profile.signatureAlgorithm) != nil else {
                throw MockError(.mockProfileInvalid, field: "signatureAlgorithm", value: profile.signatureAlgorithm, detail: "unknown algorithm")
            }
            guard [0, 1].contains(profile.metadataFirstIndex) else {
                throw MockError(.mockProfileInvalid, field: "metadataFirstIndex", value: String(profile.metadataFirstIndex), detail: "0 or 1")
            }
        }
    }
}

/// A profile with its keys loaded and its URLs resolved: what a running mock SP uses.
public struct ResolvedSPProfile: Sendable {
    public let profile: SPProfile
    public let signing: SigningCredential
    public let forgery: SigningCredential
    public let signatureAlgorithm: SignatureAlgorithm
    public let idpSSOURL: String
    public let idpCertificates: [TrustedCertificate]
    public let idpSLOURL: String
    /// SA-8: opens encrypted assertions with the SP's own key pair (the certificate its
    /// metadata publishes for encryption).
    public let decryptor: XMLDecryptor?

    /// Loads key files relative to `directory` (a certificate that is not its key's is
    /// refused: `mock.profile_invalid`, field `certificate`) and substitutes `{server}` in
    /// the IdP URL.
    public init(_ profile: SPProfile, directory: URL, placeholders: Placeholders) throws {
        self.profile = profile
        signing = try profile.signing.credential(relativeTo: directory)
        forgery = try profile.forgery.credential(relativeTo: directory)
        decryptor = try? XMLDecryptor(credential: signing)
        signatureAlgorithm = SignatureAlgorithm(rawValue: profile.signatureAlgorithm) ?? .rsaSHA256
        idpSSOURL = try placeholders.substitute(profile.idp.ssoURL)
        idpSLOURL = try profile.idp.sloURL.map(placeholders.substitute) ?? idpSSOURL
        idpCertificates = try profile.idp.certificates.map { path in
            try TrustedCertificate(pem: String(contentsOf: URL(fileURLWithPath: path, relativeTo: directory), encoding: .utf8))
        }
    }
}
