import Foundation
public import IdentityCore
public import StrictYAML
public import XMLSecurity

/// A mock identity provider's profile (`Mocks/idps/<name>.yaml`, `role: idp`): its kind,
/// its keys, the clients (or SAML service provider) it serves, its test users, the faults
/// it starts with, and — in `registration` — the record the identity server needs.
public struct IdPProfile: Decodable, Sendable {
    public var kind: Kind
    /// SAML: the IdP's entity ID (the Issuer of its responses). `{idp}` is its base URL.
    public var entityID: String?
    /// OIDC kind: the issuer path segment the registration uses (any segment is served).
    public var issuerName: String
    /// Microsoft: the tenant ID in the issuer (`{base}/{tenantID}/v2.0`).
    public var tenantID: String
    /// The signing key and certificate files; none: a fresh key each start (an in-process
    /// mock, `mock-idp --fresh-keys`), so no registration can pin its certificate. `mock-idp`
    /// with no profile is given the keys it keeps on the machine (``KeptDeveloperKeys``).
    public var signing: SPProfile.KeyPairFiles?
    /// The key the `unknown-key` fault signs with: one nobody trusts (generated if absent).
    public var forgery: SPProfile.KeyPairFiles?
    public var signatureAlgorithm: String
    /// OAuth kinds: the clients it knows. The generic kind (`oidc`) with none listed takes
    /// any client ID, with any secret or none, and any http(s) redirect URI — the
    /// one-command mock a developer points an application at without registering it first.
    public var clients: [Client]
    /// SAML: the service providers it answers.
    public var serviceProviders: [ServiceProvider]
    public var users: [TestUser]
    public var faults: [IdPFault]
    /// A test user every login is completed as, with no login page: for an application
    /// that starts the login itself and cannot send our `login_hint` (a SAML SP, a
    /// third-party RP). Also at run time: `POST /_mock/auto-login`.
    public var autoLogin: String?
    /// One entry of the attack catalogue (``SAMLAttackCatalogue``, ``JWTAttackCatalogue``)
    /// served in place of every genuine Response or ID token, built live for the flow
    /// (its request ID, nonce, audience and time). Also at run time: `POST /_mock/attack`.
    public var attack: String?
    /// Seconds an ID token or assertion is valid.
    public var validitySeconds: Int
    /// SAML (SA-8): encrypt every assertion for the SP's `certificate`, with these algorithms.
    public var encryption: Encryption?
    /// SAML: sign the Response as well as the assertion (default true); false signs only
    /// the assertion, as many IdPs do.
    public var signResponses: Bool
    /// Generic OpenID Provider: `opaque` access tokens (random strings only this mock can
    /// look up), or `jwt` — RFC 9068 JWT access tokens (`typ: at+jwt`) signed with the
    /// issuer's key, which an API under test can validate offline with the JWKS.
    public var accessTokens: AccessTokenFormat
    /// Generic OpenID Provider: each refresh gives a new refresh token and the old one
    /// stops working (OAuth 2.0 Security BCP); otherwise a refresh token is reused.
    public var rotateRefreshTokens: Bool
    /// Generic OpenID Provider: claims added to the tokens of the requests that match.
    public var requestMappings: [RequestMapping]
    public var registration: ConfigValue?

    public enum AccessTokenFormat: String, Codable, Sendable { case opaque, jwt }

    public enum Kind: String, Decodable, Sendable, CaseIterable {
        case oidc, saml, facebook, google, github, microsoft
    }

    public struct Client: Decodable, Sendable {
        public var clientID: String
        /// nil: a public client (RFC 6749 §2.1), identified by its ID alone — a native app
        /// or a device using the device grant.
        public var clientSecret: String?
        /// Exact redirect URIs; `{server}` is the identity server.
        public var redirectURIs: [String]
        /// Where RP-initiated logout may send the person back to (exact match).
        public var postLogoutRedirectURIs: [String]

        public init(clientID: String, clientSecret: String?, redirectURIs: [String], postLogoutRedirectURIs: [String] = []) {
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.redirectURIs = redirectURIs
            self.postLogoutRedirectURIs = postLogoutRedirectURIs
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case clientID, clientSecret, redirectURIs, postLogoutRedirectURIs
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            clientID = try c.decode(String.self, forKey: .clientID)
            clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
            redirectURIs = try c.decode([String].self, forKey: .redirectURIs)
            postLogoutRedirectURIs = try c.decodeIfPresent([String].self, forKey: .postLogoutRedirectURIs) ?? []
        }
    }

    /// How a SAML IdP encrypts assertions: `{data: aes256-gcm, keyTransport: rsa-oaep-mgf1p}`
    /// (the defaults).
    public struct Encryption: Decodable, Sendable {
        public var data: DataEncryptionAlgorithm
        public var keyTransport: KeyTransportAlgorithm

        public init(data: DataEncryptionAlgorithm = .aes256GCM, keyTransport: KeyTransportAlgorithm = .rsaOAEPMGF1P) {
            self.data = data
            self.keyTransport = keyTransport
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case data, keyTransport }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            data = try c.decodeIfPresent(DataEncryptionAlgorithm.self, forKey: .data) ?? .aes256GCM
            keyTransport = try c.decodeIfPresent(KeyTransportAlgorithm.self, forKey: .keyTransport) ?? .rsaOAEPMGF1P
        }
    }

    public struct ServiceProvider: Decodable, Sendable {
        public var entityID: String
        /// Registered ACS URLs; a request naming another is refused with an error page.
        public var acsURLs: [String]
        /// Where the SP takes logout messages (single logout both ways); none: no logout.
        public var sloURL: String?
        /// The SP's signing certificate (PEM, `{file:…}`): its logout messages must verify
        /// with it. Without one they are taken unchecked. Assertions are encrypted for it.
        public var certificate: String?

        public init(entityID: String, acsURLs: [String], sloURL: String? = nil, certificate: String? = nil) {
            self.entityID = entityID
            self.acsURLs = acsURLs
            self.sloURL = sloURL
            self.certificate = certificate
        }
    }

    /// A person at the IdP. `claims` use the IdP's own names and JSON shapes (a boolean
    /// `email_verified`, a number GitHub `id`); SAML attributes are lists of strings.
    public struct TestUser: Decodable, Sendable {
        /// What the login page shows and a scenario picks (`submit: {user: alice}`).
        public var username: String
        /// The stable ID (`sub`, Facebook/GitHub `id`, SAML NameID).
        public var id: String
        public var claims: ConfigValue

        public init(username: String, id: String, claims: ConfigValue) {
            self.username = username
            self.id = id
            self.claims = claims
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case role, kind, entityID, issuerName, tenantID, signing, forgery, signatureAlgorithm, clients, serviceProviders, users, faults,
            autoLogin, attack, validitySeconds, registration, encryption, signResponses, accessTokens, rotateRefreshTokens, requestMappings
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard try c.decode(String.self, forKey: .role) == "idp" else {
            throw DecodingError.dataCorruptedError(forKey: .role, in: c, debugDescription: "an identity provider profile says role: idp")
        }
        kind = try c.decode(Kind.self, forKey: .kind)
        entityID = try c.decodeIfPresent(String.self, forKey: .entityID)
        issuerName = try c.decodeIfPresent(String.self, forKey: .issuerName) ?? "default"
        tenantID = try c.decodeIfPresent(String.self, forKey: .tenantID) ?? "9188040d-6c67-4c5b-b112-36a304b66dad"
        signing = try c.decodeIfPresent(SPProfile.KeyPairFiles.self, forKey: .signing)
        forgery = try c.decodeIfPresent(SPProfile.KeyPairFiles.self, forKey: .forgery)
        signatureAlgorithm = try c.decodeIfPresent(String.self, forKey: .signatureAlgorithm) ?? SignatureAlgorithm.rsaSHA256.rawValue
        clients = try c.decodeIfPresent([Client].self, forKey: .clients) ?? []
        serviceProviders = try c.decodeIfPresent([ServiceProvider].self, forKey: .serviceProviders) ?? []
        users = try c.decodeIfPresent([TestUser].self, forKey: .users) ?? []
        faults = try c.decodeIfPresent([IdPFault].self, forKey: .faults) ?? []
        autoLogin = try c.decodeIfPresent(String.self, forKey: .autoLogin)
        attack = try c.decodeIfPresent(String.self, forKey: .attack)
        validitySeconds = try c.decodeIfPresent(Int.self, forKey: .validitySeconds) ?? 300
        registration = try c.decodeIfPresent(ConfigValue.self, forKey: .registration)
        encryption = try c.decodeIfPresent(Encryption.self, forKey: .encryption)
        signResponses = try c.decodeIfPresent(Bool.self, forKey: .signResponses) ?? true
        accessTokens = try c.decodeIfPresent(AccessTokenFormat.self, forKey: .accessTokens) ?? .opaque
        rotateRefreshTokens = try c.decodeIfPresent(Bool.self, forKey: .rotateRefreshTokens) ?? false
        requestMappings = try c.decodeIfPresent([RequestMapping].self, forKey: .requestMappings) ?? []
    }

    /// The provider `mock-idp` serves when given no profile, as mock-oauth2-server does:
    /// the generic kind, any client, any issuer path, RFC 9068 JWT access tokens, two test
    /// users — and anyone else typed in at the login page. Its keys: see
    /// ``MockIdPLaunch/developerKeys(now:warn:)``.
    public static let developerDefaultYAML = """
        role: idp
        kind: oidc
        issuerName: default
        accessTokens: jwt
        rotateRefreshTokens: true
        users:
          - username: alice
            id: alice
            claims: { email: alice@example.com, email_verified: true, name: Alice Example, given_name: Alice, family_name: Example }
          - username: bob
            id: bob
            claims: { email: bob@example.com, email_verified: false, name: Bob Example, given_name: Bob, family_name: Example }
        """

    public static var developerDefault: IdPProfile {
        get throws {
            guard case .idp(let profile) = try PartyProfile.load(text: developerDefaultYAML, file: URL(fileURLWithPath: "built-in developer profile")) else {
                throw MockError(.mockProfileInvalid, detail: "the built-in profile is not an IdP's")
            }
            return profile
        }
    }

    static func load(_ value: ConfigValue, file: URL) throws -> IdPProfile {
        try StrictYAML.decode(IdPProfile.self, from: value.node, file: file.path) { try $0.validate() }
    }

    /// What a profile must hold together, for a file and for one built in code alike.
    public func validate() throws(MockError) {
        guard SignatureAlgorithm(rawValue: signatureAlgorithm) != nil else {
            throw MockError(.mockProfileInvalid, field: "signatureAlgorithm", value: signatureAlgorithm, detail: "unknown algorithm")
        }
        if kind == .saml {
            guard entityID != nil, !serviceProviders.isEmpty else {
                throw MockError(.mockProfileInvalid, field: "serviceProviders", detail: "a SAML IdP needs an entityID and service providers")
            }
        } else if kind != .oidc {
            // The provider-shaped kinds serve registered, confidential clients only, as the
            // providers they imitate do.
            guard !clients.isEmpty else {
                throw MockError(.mockProfileInvalid, field: "clients", detail: "a \(kind.rawValue)-shaped IdP needs at least one client")
            }
            if let client = clients.first(where: { $0.clientSecret == nil }) {
                throw MockError(.mockProfileInvalid, field: "clientSecret", value: client.clientID, detail: "a \(kind.rawValue)-shaped IdP's clients have secrets")
            }
        }
        if !requestMappings.isEmpty, kind != .oidc {
            throw MockError(.mockProfileInvalid, field: "requestMappings", detail: "only the generic OpenID Provider (kind: oidc) maps requests to claims")
        }
        // Up to a year: a token's times stay far from overflow.
        guard (0...31_536_000).contains(validitySeconds) else {
            throw MockError(.mockProfileInvalid, field: "validitySeconds", value: String(validitySeconds), detail: "0 to 31536000 seconds")
        }
        var seen = Set<String>()
        for user in users where !seen.insert(user.username).inserted {
            throw MockError(.mockProfileInvalid, field: "users", value: user.username, detail: "two test users share a username")
        }
        if let auto = autoLogin, !seen.contains(auto) {
            throw MockError(.mockProfileInvalid, field: "autoLogin", value: auto, detail: "no test user of that name")
        }
    }
}

/// The ways a mock IdP can misbehave, each one a check a careful relying party makes
/// (FE-3). Set in the profile (`faults: [...]`) or at run time (`POST /_mock/faults`).
public enum IdPFault: String, Codable, Sendable, CaseIterable {
    /// The ID token or assertion expired long ago.
    case expired
    /// Issued (valid from) an hour in the future.
    case notYetValid = "not-yet-valid"
    /// Another issuer / SAML Issuer.
    case wrongIssuer = "wrong-issuer"
    /// Another audience.
    case wrongAudience = "wrong-audience"
    /// SAML: SubjectConfirmationData Recipient is another URL.
    case wrongRecipient = "wrong-recipient"
    /// SAML: the Response's Destination is another URL.
    case wrongDestination = "wrong-destination"
    /// No signature (OIDC: `alg: none`).
    case unsigned
    /// Signed with a key the relying party does not trust (under the trusted key's `kid`).
    case unknownKey = "unknown-key"
    /// OIDC: the ID token carries another nonce.
    case badNonce = "bad-nonce"
    /// SAML: InResponseTo names another request.
    case wrongInResponseTo = "wrong-in-response-to"
    /// SAML: the previous Response is sent again. OIDC: the token endpoint answers with
    /// the previous login's ID token (its nonce, its person).
    case replay
    /// OAuth kinds: the authorization response carries another `state`.
    case wrongState = "wrong-state"
    /// OAuth kinds: the token endpoint redeems a code again (no single use), so a replayed
    /// callback is stopped, if at all, by the relying party's own state check.
    case reusableCodes = "reusable-codes"
    /// The user-ID claim (`sub`, `id`, NameID) is missing.
    case missingUserID = "missing-user-id"
    /// The IdP answers with an error (`access_denied`, SAML `RequestDenied`).
    case errorResponse = "error-response"
    /// SAML signature wrapping (see ``SAMLWrapping``): the genuine signed Response rewritten
    /// so a careless SP reads the attacker's NameID. XSW1–2 wrap a signed Response,
    /// XSW3–8 a signed Assertion.
    case xsw1, xsw2, xsw3, xsw4, xsw5, xsw6, xsw7, xsw8
    /// SAML (SA-8): the assertion is encrypted for a key the SP does not hold (the forgery
    /// certificate).
    case encryptWrongKey = "encrypt-wrong-key"
    /// SAML: the content key wrapped with RSA PKCS#1 v1.5 (`rsa-1_5`), the key transport
    /// with a padding oracle, which a careful SP refuses to use.
    case weakKeyTransport = "weak-key-transport"
    /// SAML: one character of the encrypted assertion's ciphertext changed.
    case tamperedCiphertext = "tampered-ciphertext"
    /// SAML: a signed plaintext assertion beside the encrypted one (the Response unsigned).
    case plainBesideEncrypted = "plain-beside-encrypted"
    /// OAuth kinds: the token, userinfo and JWKS endpoints answer nothing for a minute.
    case stall
    /// OAuth kinds: those endpoints send their head at once, then the body a byte a second.
    case slowBody = "slow-body"

    /// Whether the fault changes anything in a SAML flow / an OAuth flow.
    public var appliesToSAML: Bool {
        switch self {
        case .badNonce, .wrongState, .reusableCodes, .stall, .slowBody: false
        default: true
        }
    }

    public var appliesToOAuth: Bool {
        switch self {
        case .wrongRecipient, .wrongDestination, .wrongInResponseTo, .xsw1, .xsw2, .xsw3, .xsw4, .xsw5, .xsw6, .xsw7, .xsw8, .encryptWrongKey,
            .weakKeyTransport, .tamperedCiphertext, .plainBesideEncrypted:
            false
        default: true
        }
    }

    /// The faults that only exist with encryption: each turns it on, and leaves the
    /// Response unsigned (only the assertion inside is signed), so the SP meets the fault
    /// itself rather than a Response signature broken by it.
    public var needsEncryption: Bool {
        [.encryptWrongKey, .weakKeyTransport, .tamperedCiphertext, .plainBesideEncrypted].contains(self)
    }

    /// The rewrite a signature-wrapping fault applies, and which element the IdP signs for it.
    var wrapping: (rewrite: (String) throws -> String, signsResponse: Bool)? {
        switch self {
        case .xsw1: (SAMLWrapping.xsw1, true)
        case .xsw2: (SAMLWrapping.xsw2, true)
        case .xsw3: (SAMLWrapping.xsw3, false)
        case .xsw4: (SAMLWrapping.xsw4, false)
        case .xsw5: (SAMLWrapping.xsw5, false)
        case .xsw6: (SAMLWrapping.xsw6, false)
        case .xsw7: (SAMLWrapping.xsw7, false)
        case .xsw8: (SAMLWrapping.xsw8, false)
        default: nil
        }
    }
}
