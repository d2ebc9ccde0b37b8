import Foundation
public import AuthFramework
public import Provisioning
public import HTTPServing
public import IdentityCore
public import OIDC
public import XMLSecurity

/// `server.yaml`: server-wide settings. Every key is optional; unknown keys are refused.
public struct ServerSettings: Decodable, Sendable {
    /// The public base URL (`https://id.example.com`). Without it, the address the server
    /// bound to is used (fine on loopback, wrong behind a proxy).
    public var baseURL: String?
    /// The IdP entity ID in SAML Issuer and metadata. WSO2's default is `localhost`.
    public var entityID: String
    /// PBKDF2 iterations for new password hashes.
    public var passwordIterations: Int
    public var sessionLifetimeSeconds: Int
    public var flowLifetimeSeconds: Int
    public var maximumLoginAttempts: Int
    public var tenants: [String]
    public var userStores: [String]
    public var saml: SAMLDefaults
    public var oidc: OIDCServerSettings
    /// The local claim dialect. `server.yaml`'s `claimDialect` entries are laid over the
    /// standard WSO2-style set: an entry with a standard URI replaces that claim (another
    /// display name or type), any other adds a claim — so adding one claim does not mean
    /// copying the other twenty-seven.
    public var claimDialect: [ClaimDefinition]
    public var keys: KeyFiles
    public var admin: AdminCredentials?
    /// JIT-7: enhanced JIT provisioning (WSO2's `[authentication.jit_provisioning]
    /// enable_enhanced_feature`): federated unique IDs as usernames, attributes owned by
    /// the IdP and re-synced, provisioned users deleted with their IdP.
    public var enhancedJIT: Bool
    /// How long a call to a federated IdP (token, userinfo, JWKS, discovery) may take in
    /// all before the login is refused with `connector.upstream_timeout`: a stalled IdP
    /// must not hold the person's browser, or a server thread, for ever.
    public var upstreamTimeoutSeconds: Int
    /// AU-7: locking accounts after failed password checks.
    public var accountLock: AccountLockPolicy
    /// AU-7: failed password checks allowed per client address.
    public var addressLimit: AddressLimit
    /// Passwords people and API clients choose (JIT prompts, password change, admin API).
    public var passwordPolicy: PasswordPolicy
    /// Slow and idle clients: read deadlines, body size, connections per address.
    public var http: HTTPLimits
    /// HTTPS: certificate files (relative to the configuration directory) or the
    /// development CA. `--tls`, `--tls-cert` and `--tls-key` win over it.
    public var tls: TLSSettings?
    /// PEM files of CAs the server's own https calls trust besides the system's (a
    /// partner IdP or provisioning target under a private CA), relative to the
    /// configuration directory; `--ca-bundle` adds more.
    public var trustedCAs: [String] = []
    /// PR-2: where accounts made through the admin API or SCIM are provisioned (the
    /// resident service provider's targets), and how failed deliveries are retried.
    public var provisioning = ProvisioningSettings()

    /// SA-6: server-wide signature defaults, used where an SP sets none.
    public struct SAMLDefaults: Decodable, Sendable {
        public var signatureAlgorithm: SignatureAlgorithm
        public var digestAlgorithm: DigestAlgorithm

        public init(signatureAlgorithm: SignatureAlgorithm = .rsaSHA256, digestAlgorithm: DigestAlgorithm = .sha256) {
            self.signatureAlgorithm = signatureAlgorithm
            self.digestAlgorithm = digestAlgorithm
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case signatureAlgorithm, digestAlgorithm }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                signatureAlgorithm: try c.decodeIfPresent(SignatureAlgorithm.self, forKey: .signatureAlgorithm) ?? .rsaSHA256,
                digestAlgorithm: try c.decodeIfPresent(DigestAlgorithm.self, forKey: .digestAlgorithm) ?? .sha256)
        }
    }

    /// Server-wide OAuth 2.0 / OpenID Connect settings.
    public struct OIDCServerSettings: Decodable, Sendable {
        /// Authorization code lifetime (RFC 6749 §4.1.2: short, at most 10 minutes).
        public var codeLifetimeSeconds: Int
        /// The scope → claims table (CL-8); the OIDC standard scopes when absent. Seeded
        /// into storage at the first start; the admin API changes it afterwards.
        public var scopes: [OIDCScope]
        /// OIDC claim name → local claim URI, replacing entries of the standard table.
        public var claimMappings: [String: String]

        public init(codeLifetimeSeconds: Int = 60, scopes: [OIDCScope] = OIDCScope.standard, claimMappings: [String: String] = [:]) {
            self.codeLifetimeSeconds = codeLifetimeSeconds
            self.scopes = scopes
            self.claimMappings = claimMappings
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case codeLifetimeSeconds, scopes, claimMappings }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                codeLifetimeSeconds: try c.decodeIfPresent(Int.self, forKey: .codeLifetimeSeconds) ?? 60,
                scopes: try c.decodeIfPresent([OIDCScope].self, forKey: .scopes) ?? OIDCScope.standard,
                claimMappings: try c.decodeIfPresent([String: String].self, forKey: .claimMappings) ?? [:])
        }
    }

    /// Signing keys, as PEM file paths relative to the configuration directory.
    public struct KeyFiles: Decodable, Sendable {
        public var rsa: KeyPair?
        public var ec: KeyPair?

        public init(rsa: KeyPair? = nil, ec: KeyPair? = nil) {
            self.rsa = rsa
            self.ec = ec
        }
    }

    public struct KeyPair: Decodable, Sendable {
        public var privateKey: String
        public var certificate: String

        public init(privateKey: String, certificate: String) {
            self.privateKey = privateKey
            self.certificate = certificate
        }
    }

    /// The admin REST API's HTTP Basic credentials. Without them the API is off.
    public struct AdminCredentials: Decodable, Sendable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public init(
        baseURL: String? = nil, entityID: String = "localhost", passwordIterations: Int = 600_000, sessionLifetimeSeconds: Int = 28_800,
        flowLifetimeSeconds: Int = 600, maximumLoginAttempts: Int = 5, tenants: [String] = [Tenant.superTenant],
        userStores: [String] = [UserStoreName.primary], saml: SAMLDefaults = SAMLDefaults(), oidc: OIDCServerSettings = OIDCServerSettings(),
        claimDialect: [ClaimDefinition] = ClaimDialect.standard.definitions, keys: KeyFiles = KeyFiles(), admin: AdminCredentials? = nil,
        enhancedJIT: Bool = false, upstreamTimeoutSeconds: Int = 10, accountLock: AccountLockPolicy = AccountLockPolicy(),
        addressLimit: AddressLimit = AddressLimit(), passwordPolicy: PasswordPolicy = PasswordPolicy(), http: HTTPLimits = .standard
    ) {
        self.baseURL = baseURL
        self.entityID = entityID
        self.passwordIterations = passwordIterations
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.flowLifetimeSeconds = flowLifetimeSeconds
        self.maximumLoginAttempts = maximumLoginAttempts
        self.tenants = tenants
        self.userStores = userStores
        self.saml = saml
        self.oidc = oidc
        self.claimDialect = claimDialect
        self.keys = keys
        self.admin = admin
        self.enhancedJIT = enhancedJIT
        self.upstreamTimeoutSeconds = upstreamTimeoutSeconds
        self.accountLock = accountLock
        self.addressLimit = addressLimit
        self.passwordPolicy = passwordPolicy
        self.http = http
    }

    /// Rules across settings (the SA-6 algorithms are typed, so a name the server does not
    /// know is refused while decoding; whether a key for them exists is checked when the
    /// keys are loaded).
    public func validate() throws(IdentityError) {
        if oidc.codeLifetimeSeconds < 1 || oidc.codeLifetimeSeconds > 600 {
            throw IdentityError(
                .spInvalidSettings, field: "oidc.codeLifetimeSeconds", value: String(oidc.codeLifetimeSeconds), detail: "between 1 and 600 seconds")
        }
        // The username and roles are the server's, not the person's: a prompt for them
        // could never be answered (roles are not stored as a claim value).
        for fixed in [LocalClaims.username, LocalClaims.role] where dialect.definition(fixed)?.userEditable != false {
            throw IdentityError(.spInvalidSettings, field: "claimDialect", value: fixed, detail: "the username and role claims cannot be made user-editable")
        }
        for definition in claimDialect where definition.displayName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw IdentityError(.spInvalidSettings, field: "claimDialect", value: definition.uri, detail: "every claim needs a display name")
        }
        for scope in oidc.scopes where ManagementScope(rawValue: scope.name) != nil {
            throw IdentityError(.spInvalidSettings, field: "oidc.scopes", value: scope.name, detail: "a management scope, not a claim scope: granted by oidc.managementScopes")
        }
        if upstreamTimeoutSeconds < 1 || upstreamTimeoutSeconds > 120 {
            throw IdentityError(
                .spInvalidSettings, field: "upstreamTimeoutSeconds", value: String(upstreamTimeoutSeconds), detail: "between 1 and 120 seconds")
        }
        if passwordIterations < 1 {
            throw IdentityError(.spInvalidSettings, field: "passwordIterations", value: String(passwordIterations), detail: "at least 1")
        }
        let ranges: [(String, Int, ClosedRange<Int>)] = [
            ("accountLock.maximumFailures", accountLock.maximumFailures, 0...100), ("accountLock.lockSeconds", Int(accountLock.lockDuration), 0...604_800),
            ("accountLock.maximumLockSeconds", Int(accountLock.maximumLockDuration), 1...31_536_000),
            ("addressLimit.maximumFailures", addressLimit.maximumFailures, 0...100_000), ("addressLimit.windowSeconds", Int(addressLimit.window), 1...86_400),
            ("passwordPolicy.minimumLength", passwordPolicy.minimumLength, 1...128), ("passwordPolicy.maximumLength", passwordPolicy.maximumLength, 8...4_096),
            ("http.headerTimeoutSeconds", Int(http.headerTimeout.components.seconds), 1...300),
            ("http.idleTimeoutSeconds", Int(http.idleTimeout.components.seconds), 1...3_600),
            ("http.bodyTimeoutSeconds", Int(http.bodyTimeout.components.seconds), 1...3_600),
            ("http.connectionsPerAddress", http.connectionsPerAddress, 1...100_000), ("http.maximumConnections", http.maximumConnections, 1...1_000_000),
        ]
        for (field, value, range) in ranges where !range.contains(value) {
            throw IdentityError(.spInvalidSettings, field: field, value: String(value), detail: "between \(range.lowerBound) and \(range.upperBound)")
        }
        if !(1...100).contains(accountLock.growthFactor) {
            throw IdentityError(.spInvalidSettings, field: "accountLock.growthFactor", value: String(accountLock.growthFactor), detail: "between 1 and 100")
        }
        if passwordPolicy.maximumLength < passwordPolicy.minimumLength {
            throw IdentityError(.spInvalidSettings, field: "passwordPolicy.maximumLength", value: String(passwordPolicy.maximumLength), detail: "at least minimumLength")
        }
        for (field, value, range) in provisioning.problems() {
            throw IdentityError(.spInvalidSettings, field: field, value: String(value), detail: "between \(range.lowerBound) and \(range.upperBound)")
        }
        for store in userStores where store.uppercased() == UserStoreName.federated {
            throw IdentityError(.spInvalidSettings, field: "userStores", value: store, detail: "FEDERATED names people without an account; no store may take it")
        }
    }

    public var dialect: ClaimDialect { ClaimDialect(claimDialect) }

    /// The default signature algorithm and digest (SA-6).
    public var defaultSignatureAlgorithm: SignatureAlgorithm { saml.signatureAlgorithm }
    public var defaultDigestAlgorithm: DigestAlgorithm { saml.digestAlgorithm }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case baseURL, entityID, passwordIterations, sessionLifetimeSeconds, flowLifetimeSeconds, maximumLoginAttempts, tenants,
             userStores, saml, oidc, claimDialect, keys, admin, enhancedJIT,
             upstreamTimeoutSeconds, accountLock, addressLimit, passwordPolicy, http, provisioning, tls, trustedCAs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ServerSettings()
        self.init(
            baseURL: try c.decodeIfPresent(String.self, forKey: .baseURL),
            entityID: try c.decodeIfPresent(String.self, forKey: .entityID) ?? d.entityID,
            passwordIterations: try c.decodeIfPresent(Int.self, forKey: .passwordIterations) ?? d.passwordIterations,
            sessionLifetimeSeconds: try c.decodeIfPresent(Int.self, forKey: .sessionLifetimeSeconds) ?? d.sessionLifetimeSeconds,
            flowLifetimeSeconds: try c.decodeIfPresent(Int.self, forKey: .flowLifetimeSeconds) ?? d.flowLifetimeSeconds,
            maximumLoginAttempts: try c.decodeIfPresent(Int.self, forKey: .maximumLoginAttempts) ?? d.maximumLoginAttempts,
            tenants: try c.decodeIfPresent([String].self, forKey: .tenants) ?? d.tenants,
            userStores: try c.decodeIfPresent([String].self, forKey: .userStores) ?? d.userStores,
            saml: try c.decodeIfPresent(SAMLDefaults.self, forKey: .saml) ?? d.saml,
            oidc: try c.decodeIfPresent(OIDCServerSettings.self, forKey: .oidc) ?? d.oidc,
            claimDialect: ClaimDialect.standard.overlaid(with: try c.decodeIfPresent([ClaimDefinition].self, forKey: .claimDialect) ?? []),
            keys: try c.decodeIfPresent(KeyFiles.self, forKey: .keys) ?? d.keys,
            admin: try c.decodeIfPresent(AdminCredentials.self, forKey: .admin),
            enhancedJIT: try c.decodeIfPresent(Bool.self, forKey: .enhancedJIT) ?? d.enhancedJIT,
            upstreamTimeoutSeconds: try c.decodeIfPresent(Int.self, forKey: .upstreamTimeoutSeconds) ?? d.upstreamTimeoutSeconds,
            accountLock: try c.decodeIfPresent(AccountLockPolicy.self, forKey: .accountLock) ?? d.accountLock,
            addressLimit: try c.decodeIfPresent(AddressLimit.self, forKey: .addressLimit) ?? d.addressLimit,
            passwordPolicy: try c.decodeIfPresent(PasswordPolicy.self, forKey: .passwordPolicy) ?? d.passwordPolicy,
            http: try c.decodeIfPresent(HTTPLimits.self, forKey: .http) ?? d.http)
        provisioning = try c.decodeIfPresent(ProvisioningSettings.self, forKey: .provisioning) ?? d.provisioning
        tls = try c.decodeIfPresent(TLSSettings.self, forKey: .tls)
        trustedCAs = try c.decodeIfPresent([String].self, forKey: .trustedCAs) ?? []
    }
}
