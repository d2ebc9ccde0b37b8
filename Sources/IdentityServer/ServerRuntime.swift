public import AuthFramework
import Foundation
public import IdentityCore
public import IdentityStorage
public import Logging
import SAML
import Hummingbird
public import OIDC
import Crypto
import _CryptoExtras
import XMLSecurity
import Connectors
import AsyncHTTPClient
import HTTPServing
public import OutboundHTTP
public import Provisioning
import SCIM

/// Everything the request handlers share: settings, keys, stores, the injected clock and
/// random source, the flow engine. Built once per server instance.
public struct ServerRuntime: Sendable {
    public let settings: ServerSettings
    public let credentials: ServerCredentials
    public let storage: Storage
    public let clock: any WallClock
    public let random: any RandomSource
    public let baseURL: BaseURL
    public let engine: AuthenticationEngine
    public let hasher: PasswordHasher
    public let validator: ServiceProviderValidator
    public let identityProviderValidator: IdentityProviderValidator
    /// PR-2: the outbound provisioning queue and its deliveries.
    public let provisioner: OutboundProvisioner
    public let logger: Logger
    let pages = PageRenderer()
    let responseBuilder: SAMLResponseBuilder
    /// JWT signing keys and their JWKS.
    public let signingKeys: ServerSigningKeys
    let claimResolver: ClaimResolver
    /// Signs the device page's CSRF tokens (random per server instance).
    let formKey: [UInt8]
    /// Seals and opens SAML SessionIndex values (single logout finds sessions by them).
    let sessionReferences: SessionReferences
    /// The CAs the server's own https calls trust (federated IdPs, provisioning targets,
    /// back-channel logout): the system's and those `trustedCAs` and `--ca-bundle` name.
    public let outbound: OutboundTrust
    /// The client of its own calls, with that trust.
    let outboundClient: HTTPClient
    /// The same trust without following redirects, for back-channel logout (SAML and
    /// OIDC): an SP's or RP's redirect is its answer, meant for a browser, and must not be
    /// fetched by the server.
    let backChannelClient: HTTPClient

    /// Builds a runtime: derives the JWT keys from the credentials and seeds the scope
    /// table (CL-8) from the settings when storage has none yet.
    public static func create(
        settings: ServerSettings, credentials: ServerCredentials, storage: Storage, clock: any WallClock, random: any RandomSource,
        logger: Logger = Logger(label: "identity-server"), outbound: OutboundTrust = .system
    ) async throws -> ServerRuntime {
        let rsa: _RSA.Signing.PrivateKey? = if case .rsa(let key)? = credentials.rsa?.key { key } else { nil }
        let ec: P256.Signing.PrivateKey? = if case .p256(let key)? = credentials.ec?.key { key } else { nil }
        let keys = try await ServerSigningKeys(rsa: rsa, ec: ec)
        if try await storage.scopes.list().isEmpty {
            for scope in settings.oidc.scopes { try await storage.scopes.put(scope) }
        }
        return try ServerRuntime(
            settings: settings, credentials: credentials, storage: storage, clock: clock, random: random, logger: logger, signingKeys: keys,
            outbound: outbound)
    }

    init(
        settings: ServerSettings, credentials: ServerCredentials, storage: Storage, clock: any WallClock, random: any RandomSource,
        logger: Logger, signingKeys: ServerSigningKeys, outbound: OutboundTrust
    ) throws(TLSError) {
        self.signingKeys = signingKeys
        self.outbound = outbound
        // Made now: a CA bundle that cannot be read fails the start, not the first federated login.
        let client = try OutboundHTTP.client(outbound)
        self.outboundClient = client
        self.backChannelClient = try OutboundHTTP.client(outbound, followsRedirects: false)
        self.claimResolver = ClaimResolver(mappings: ClaimResolver.standardMappings.merging(settings.oidc.claimMappings) { $1 })
        // Derived, not drawn: a form served by one instance is posted to another.
        self.formKey = DerivedKeys.key(credentials, purpose: "identity-harness form token v1").withUnsafeBytes { Array($0) }
        self.settings = settings
        self.credentials = credentials
        self.storage = storage
        self.clock = clock
        self.random = random
        self.baseURL = BaseURL(settings.baseURL)
        self.hasher = PasswordHasher(iterations: settings.passwordIterations, random: random)
        self.validator = ServiceProviderValidator(signingFamilies: credentials.families, dialect: settings.dialect)
        self.identityProviderValidator = IdentityProviderValidator(dialect: settings.dialect, userStores: settings.userStores)
        self.logger = logger
        self.responseBuilder = SAMLResponseBuilder(clock: clock, random: random)
        self.sessionReferences = SessionReferences(credentials: credentials)
        let baseURL = self.baseURL
        // Targets get the account as this server's own `/scim2` shows it.
        let mapping = SCIMUserMapping(schemas: SCIMUserSchemas(dialect: settings.dialect))
        let provisioner = OutboundProvisioner(
            storage: storage, clock: clock, settings: settings.provisioning,
            http: UpstreamHTTP(client: client, timeout: .seconds(Int64(settings.provisioning.timeoutSeconds))), logger: logger,
            resource: { user in mapping.resource(user, location: "", groupID: { $0 }) })
        self.provisioner = provisioner
        self.engine = AuthenticationEngine(
            storage: storage, clock: clock, random: random, hasher: hasher,
            settings: AuthenticationSettings(
                flowLifetime: TimeInterval(settings.flowLifetimeSeconds), sessionLifetime: TimeInterval(settings.sessionLifetimeSeconds),
                maximumAttempts: settings.maximumLoginAttempts, userStores: settings.userStores.map { $0.uppercased() },
                tenants: Set(settings.tenants.map { $0.lowercased() }), dialect: settings.dialect, enhancedJIT: settings.enhancedJIT,
                callbackURL: { baseURL.appending("/commonauth") }, accountLock: settings.accountLock,
                addressLimit: settings.addressLimit, passwordPolicy: settings.passwordPolicy),
            connectors: Connectors.registry(
                client: client, clock: clock, random: random, replays: storage.replays, entityID: settings.entityID,
                credential: credentials.rsa, timeout: .seconds(Int64(settings.upstreamTimeoutSeconds))),
            accountEvents: JITOutbound(provisioner: provisioner))
    }

    /// The server's cookie `cookie` in `request`, under the name the base URL's scheme gives
    /// it (``ServerCookie``).
    /// A plain-named cookie is not read under https, where only the prefixed one is the
    /// server's.
    func cookie(_ cookie: ServerCookie, of request: Request) -> String? {
        request.cookies[cookie.name(secure: baseURL.isHTTPS)]?.value
    }

    /// The `Set-Cookie` for the server's cookie `cookie`, as the base URL's scheme shapes it.
    func setting(_ cookie: ServerCookie, to value: String, maxAge: Int? = nil) -> Cookie {
        cookie.make(value: value, secure: baseURL.isHTTPS, maxAge: maxAge)
    }

    /// The request's browser-binding cookie, or a new value to set (and whether it is new).
    func browserBinding(_ request: Request) -> (value: String, isNew: Bool) {
        if let existing = cookie(.browser, of: request) { return (existing, false) }
        return (random.token(), true)
    }

    /// AU-1: every identity provider an SP's sequence names must exist.
    /// PR-2: every outbound provisioning target must be one with a SCIM connector.
    func checkReferences(_ sp: ServiceProvider) async throws {
        for name in (sp.sequence?.identityProviders ?? []).sorted() {
            guard let idp = try? await storage.identityProviders.get(name: name) else {
                throw IdentityError(.spInvalidSettings, field: "sequence", value: name, detail: "no identity provider of that name")
            }
            guard idp.kind != .scim else {
                throw IdentityError(.spInvalidSettings, field: "sequence", value: name, detail: "a scim identity provider is a provisioning target; no one logs in with it")
            }
        }
        var seen = Set<String>()
        for (index, target) in (sp.provisioning?.outbound ?? []).enumerated() {
            let field = "provisioning.outbound[\(index)].identityProvider"
            guard seen.insert(target.identityProvider).inserted else {
                throw IdentityError(.spInvalidSettings, field: field, value: target.identityProvider, detail: "each target is listed once")
            }
            guard let idp = try? await storage.identityProviders.get(name: target.identityProvider) else {
                throw IdentityError(.spInvalidSettings, field: field, value: target.identityProvider, detail: "no identity provider of that name")
            }
            guard idp.scim != nil else {
                throw IdentityError(.spInvalidSettings, field: field, value: target.identityProvider, detail: "that identity provider has no provisioning connector (scim)")
            }
        }
    }

    /// SA-6: how this server signs SAML messages to an SP — the SP's own algorithms, or the
    /// server's where it names none (Responses, and logout messages alike).
    func samlSigner(for settings: SAMLSettings) throws -> XMLSigner {
        let algorithm = settings.signatureAlgorithm ?? self.settings.defaultSignatureAlgorithm
        guard let credential = credentials.credential(for: algorithm) else {
            throw SAMLError(.samlSignatureAlgorithmUnsupported, value: algorithm.rawValue, detail: "the server has no key for this algorithm")
        }
        return XMLSigner(credential: credential, algorithm: algorithm, digest: settings.digestAlgorithm ?? self.settings.defaultDigestAlgorithm)
    }

    /// How this server signs SAML messages to the IdPs it federates with: as the SAML
    /// connector signs its AuthnRequests.
    var federationSigner: XMLSigner? { SAMLConnector.signer(credentials.rsa) }

    /// The SAML SSO service URL (`/samlsso`).
    public var ssoURL: String { baseURL.appending("/samlsso") }

    /// What the OAuth endpoints need, with the issuer as the base URL is now.
    public var oauth: OAuthContext {
        let engine = self.engine
        let storage = self.storage
        let resolver = self.claimResolver
        let references = self.sessionReferences
        let issuer = baseURL.string
        return OAuthContext(
            storage: storage, clock: clock, random: random, issuer: baseURL.string, keys: signingKeys,
            codeLifetime: TimeInterval(settings.oidc.codeLifetimeSeconds),
            authenticate: { username, password, serviceProvider, client in
                guard let user = try await engine.verifyCredentials(username: username, password: password, client: client),
                    TenantPolicy.admits(user, to: serviceProvider)
                else { return nil }
                return user
            },
            subject: { user, sp in
                do {
                    return try await engine.subject(for: user, serviceProvider: sp)
                } catch let error as AuthError {
                    throw OAuthError(.oauthInvalidGrant, detail: error.detail)
                }
            },
            claims: { user, sp, scopes in
                // Only what the person's consent receipt grants (CL-4), read at every issue
                // so a refresh or userinfo call after a revocation releases nothing more.
                let receipt = sp.claims.skipConsent ? nil : try await storage.consents.find(userID: user.id, serviceProvider: sp.name)
                let permitted = ClaimRelease.permitted(for: sp, receipt: receipt)
                let released = Set(sp.claims.released.map(\.localClaim)).filter { permitted?.contains($0) ?? true }
                return resolver.claims(
                    scopes: scopes, table: try await storage.scopes.list(), released: released,
                    values: { ClaimRelease.values(of: $0, for: user, serviceProvider: sp) })
            },
            sessionIdentifier: { id in references.sid(sessionID: id) },
            assertion: { [clock] kind, assertion, client in
                try await Self.bearerAssertion(kind, assertion, client: client, engine: engine, storage: storage, clock: clock, issuer: issuer)
            })
    }

    /// OA-2's jwt-bearer and saml2-bearer grants: the identity provider whose issuer the
    /// assertion claims verifies it (its JWKS, its certificates), the assertion is held to
    /// one use, and the person is the account they map to here — or a transient user.
    static func bearerAssertion(
        _ kind: BearerAssertionKind, _ assertion: String, client: ServiceProvider, engine: AuthenticationEngine, storage: Storage,
        clock: any WallClock, issuer: String
    ) async throws -> AssertedSubject {
        let claimed = kind == .jwt
            ? BearerAssertionValidator.claimedIssuer(of: assertion) : SAMLResponseValidator.claimedIssuer(ofBearerAssertion: assertion)
        guard let claimed else {
            throw OAuthError(.oauthAssertionInvalid, field: "assertion", detail: "not a \(kind == .jwt ? "JWT" : "SAML assertion") naming its issuer")
        }
        let candidates = try await storage.identityProviders.list().filter { idp in
            idp.enabled && (kind == .jwt ? idp.kind != .saml && idp.oauth?.issuer == claimed : idp.kind == .saml && idp.saml?.idpEntityID == claimed)
        }
        guard candidates.count == 1, let idp = candidates.first,
            let verifier = engine.connectors.connector(for: idp.kind) as? any BearerAssertionVerifying
        else {
            throw OAuthError(
                .oauthAssertionUntrusted, field: "iss", value: claimed,
                detail: candidates.isEmpty ? "no identity provider registered here has this issuer" : "several identity providers claim this issuer")
        }
        // The application's own login decides whom it trusts: the IdP must be an option of
        // its sequence, and a sequence of more than one step (a second factor) cannot be
        // satisfied by an assertion about one.
        let steps = client.effectiveSequence.steps
        guard steps.count == 1, steps[0].options.contains(idp.name) else {
            throw OAuthError(
                .oauthAssertionUntrusted, field: "iss", value: claimed,
                detail: "the application's login sequence does not accept \(idp.name) alone")
        }
        let verified = try await verifier.verifyBearerAssertion(assertion, from: idp, audiences: [issuer + "/oauth2/token", issuer])
        guard try await storage.replays.claim("\(kind.rawValue):\(idp.name):\(verified.uniqueID)", until: verified.expiresAt, now: clock.now) else {
            throw OAuthError(.oauthAssertionReplayed, value: verified.uniqueID, detail: "this assertion was already used")
        }
        let subject = try await engine.assertedSubject(verified.identity, identityProvider: idp)
        return AssertedSubject(user: subject.user, isTransient: subject.isTransient)
    }

    /// Stores the service providers and users of a configuration directory. A database
    /// file outlives restarts, so records that already exist are replaced (service
    /// providers: the file is the source of truth for settings) or kept (users: their
    /// passwords and claims may have changed since). A client's secret and revocation are
    /// state the admin API manages once the client exists (OA-6), so a restart does not
    /// undo a regenerated secret or a revoked app.
    public func seedIfMissing(_ configuration: LoadedConfiguration) async throws {
        // Identity providers first: service providers' sequences name them.
        for idp in configuration.identityProviders {
            if (try? await storage.identityProviders.get(name: idp.name)) != nil {
                try await storage.identityProviders.update(name: idp.name) { _ in idp }
            } else {
                try await storage.identityProviders.create(idp)
            }
        }
        for sp in configuration.serviceProviders {
            if try await storage.serviceProviders.list().contains(where: { $0.name == sp.name }) {
                try await storage.serviceProviders.update(name: sp.name) { old in
                    var new = sp
                    if var oidc = new.oidc, let current = old.oidc, current.clientID == oidc.clientID {
                        oidc.clientSecretHash = current.clientSecretHash
                        oidc.revoked = current.revoked
                        new.oidc = oidc
                    }
                    return new
                }
            } else {
                try await storage.serviceProviders.create(sp)
            }
        }
        for document in configuration.users {
            let user = document.user(id: random.uuid(), passwordHash: document.password.map(hasher.hash))
            if try await storage.users.find(username: user.username, tenant: user.tenant) == nil {
                try await storage.users.create(user)
            }
        }
    }
}
