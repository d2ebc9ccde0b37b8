import Foundation
public import HTTPServing
public import Hummingbird
public import IdentityCore
public import Logging
import SAML
import Synchronization
import XMLSecurity

/// A mock SAML service provider: starts SP-initiated logins with switchable behaviour
/// (`/login`), validates Responses at its ACS (`POST /acs[/name]`) like a careful SP,
/// takes part in single logout (`/logout` starts one, `/slo` receives the IdP's
/// LogoutRequests and LogoutResponses), and records what it saw (`GET /observations`). It speaks only SAML on the wire and
/// imports no server code, so it can face any identity server.
public final class MockServiceProvider: Sendable {
    public let profile: ResolvedSPProfile
    let clock: any WallClock
    let random: any RandomSource
    let state = Mutex(State())
    private let address = ListeningAddress()
    let sessions = MockSessions()

    struct State {
        var outstanding = Set<String>()
        var seenAssertions = Set<String>()
        var observations = [SPObservation]()
        /// The LogoutRequests it sent that await an answer, and the last one (for replay).
        var outstandingLogouts = Set<String>()
        var lastLogout: LogoutRequest?
    }

    public init(profile: ResolvedSPProfile, clock: any WallClock, random: any RandomSource) {
        self.profile = profile
        self.clock = clock
        self.random = random
    }

    /// `http://host:port` of this mock once it listens.
    public var baseURL: String { address.url }

    public var observations: [SPObservation] { state.withLock { $0.observations } }

    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/login") { request, _ in try self.login(request) }
        router.post("/acs") { request, _ in try await self.consume(request) }
        router.post("/acs/:name") { request, _ in try await self.consume(request) }
        router.get("/logout") { request, _ in try self.logout(request) }
        // Where an IdP-initiated logout may return the browser (a registered returnTo URL).
        router.get("/logged-out") { _, _ in
            MockHTTP.html(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"ih-page\" content=\"sp-logged-out\"><title>mock SP</title></head><body><h1>Logged out</h1></body></html>")
        }
        router.get("/slo") { request, _ in try await self.singleLogout(.redirect(rawQuery: request.uri.query ?? ""), at: request.uri.path) }
        router.post("/slo") { request, _ in
            let form = try await MockHTTP.form(request, limit: 1024 * 1024)
            return try await self.singleLogout(.post(form: form), at: request.uri.path)
        }
        router.get("/observations") { _, _ in try MockHTTP.json(["observations": self.observations]) }
        router.post("/_mock/reset") { _, _ in
            self.state.withLock { $0 = State() }
            self.sessions.clear()
            return Response(status: .noContent)
        }
        if profile.profile.sessions {
            router.get("/whoami") { request, _ in self.sessions.whoami(request, observe: "nameID") }
        }
        router.get("/metadata") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/samlmetadata+xml"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(
                        string: SAMLMetadata.serviceProvider(
                            entityID: self.profile.profile.entityID, acsURLs: [self.baseURL + "/acs", self.baseURL + "/acs/second"],
                            sloURL: self.baseURL + "/slo",
                            certificate: self.profile.signing, signsRequests: true, firstIndex: self.profile.profile.metadataFirstIndex,
                            encryptionMethods: self.profile.profile.encryptionMethods))))
        }
        return router
    }

    /// The application, listening on `host:port`; `onListening` hears its URL.
    public func application(
        host: String = "127.0.0.1", port: Int = 0, tls: ServerTLS? = nil, logger: Logger = MockServiceProvider.logger(), tap: TrafficTap? = nil,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        MockHTTP.application(
            router: router(), serverName: "mock-sp", host: host, port: port, tls: tls, logger: logger, address: address, tap: tap, onListening: onListening)
    }

    /// The mock's logger: level from `IH_MOCK_LOG` (default `error`, so a scenario run
    /// prints only results).
    public static func logger(default level: Logger.Level = .error, label: String = "mock-sp") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["IH_MOCK_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? level
        return logger
    }

    // MARK: /login

    private func login(_ request: Request) throws -> Response {
        let query = MockHTTP.fields(request.uri.query ?? "")
        let options = try LoginOptions(query: query, defaultACS: baseURL + "/acs")
        let authnRequest = AuthnRequest(
            id: random.xmlIdentifier(), issueInstant: clock.now, issuer: options.issuer ?? profile.profile.entityID,
            destination: options.omitDestination ? nil : (options.destination ?? profile.idpSSOURL),
            assertionConsumerServiceURL: options.acs, assertionConsumerServiceIndex: options.acsIndex,
            protocolBinding: SAMLBinding.post.rawValue, forceAuthn: options.forceAuthn, isPassive: options.passive,
            nameIDPolicyFormat: options.nameIDFormat, nameIDPolicyAllowCreate: options.allowCreate,
            attributeConsumingServiceIndex: options.attributes ? 0 : nil, requestedAuthnContext: options.authnContext)
        state.withLock { _ = $0.outstanding.insert(authnRequest.id) }

        let credential: SigningCredential? = switch options.signing {
        case .none: nil
        case .valid: profile.signing
        case .forged: profile.forgery
        }
        let xml = authnRequest.tree.serialized()
        let attack = options.attack
        switch options.binding {
        case .redirect:
            var query = try RedirectBinding.encode(
                try attack?.rewrite(xml, redirect: true) ?? xml, parameter: "SAMLRequest", relayState: options.relayState,
                signer: attack == .tampered ? nil : credential.map { ($0.key, profile.signatureAlgorithm) })
            if attack == .tampered, let credential {
                // The query signature over the genuine request, the tampered request in its place.
                let signed = try RedirectBinding.encode(
                    xml, parameter: "SAMLRequest", relayState: options.relayState, signer: (credential.key, profile.signatureAlgorithm))
                let tampered = query.split(separator: "&").first { $0.hasPrefix("SAMLRequest=") }.map(String.init) ?? ""
                query = signed.split(separator: "&").map { $0.hasPrefix("SAMLRequest=") ? tampered : String($0) }.joined(separator: "&")
            }
            let separator = profile.idpSSOURL.contains("?") ? "&" : "?"
            // WSO2's request-path basic authenticator reads `sectoken` (base64 user:password).
            let sectoken = options.credentials.map { "&sectoken=" + URLEncoding.encode(Data($0.utf8).base64EncodedString()) } ?? ""
            return Response(status: .found, headers: [.location: profile.idpSSOURL + separator + query + sectoken])
        case .post:
            var document = xml
            if let credential {
                let parsed = try SafeXMLParser.parse(xml)
                try XMLSigner(credential: credential, algorithm: profile.signatureAlgorithm, digest: profile.signatureAlgorithm.digest)
                    .sign(parsed.root, placeAfter: parsed.root.firstChild("Issuer", XMLNamespace.saml))
                document = parsed.serialized()
            }
            if let attack { document = try attack.rewrite(document, redirect: false) }
            return MockHTTP.html(POSTBinding.form(action: profile.idpSSOURL, parameter: "SAMLRequest", xml: document, relayState: options.relayState))
        }
    }

    // MARK: ACS

    private func consume(_ request: Request) async throws -> Response {
        let acsURL = baseURL + request.uri.path
        let form = try await MockHTTP.form(request, limit: 1024 * 1024)
        var observation = SPObservation(acs: acsURL, accepted: false)
        observation.relayState = form["RelayState"]
        do {
            guard let encoded = form["SAMLResponse"] else {
                throw SAMLError(.samlMessageMissing, detail: "no SAMLResponse in the form")
            }
            let document = try POSTBinding.decode(encoded, parameter: "SAMLResponse")
            let outstanding = state.withLock { $0.outstanding }
            let validated = try SAMLResponseValidator(clock: clock).validate(
                document,
                expecting: .init(
                    idpEntityID: profile.profile.idp.entityID, trusted: profile.idpCertificates, audience: profile.profile.entityID,
                    acsURL: acsURL, outstandingRequestIDs: outstanding, allowUnsolicited: profile.profile.allowUnsolicited,
                    clockSkew: TimeInterval(profile.profile.clockSkewSeconds), decryptor: profile.decryptor))
            Self.fill(&observation, from: validated)
            // An empty NameID names nobody: signing that in would give every such
            // assertion one shared, anonymous account.
            if let assertion = validated.assertion, assertion.nameID.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw SAMLError(.samlSubjectMissing, field: "NameID", detail: "the NameID is empty: it names nobody")
            }
            // Consume the request and the assertion in one step: a second Response to the
            // same request, or the same assertion again, is a replay.
            try state.withLock { (state: inout State) throws(SAMLError) in
                if let id = validated.inResponseTo, state.outstanding.remove(id) == nil {
                    throw SAMLError(.samlReplayed, field: "InResponseTo", value: id, detail: "this request was already answered")
                }
                if let assertion = validated.assertion, !state.seenAssertions.insert(assertion.id).inserted {
                    throw SAMLError(.samlReplayed, value: assertion.id, detail: "this assertion was already consumed")
                }
            }
            observation.accepted = validated.status.isSuccess
            if !validated.status.isSuccess { observation.error = ErrorCode.samlStatusNotSuccess.rawValue }
        } catch let error as any CodedError {
            observation.accepted = false
            observation.error = error.code.rawValue
            observation.errorDetail = error.detail
        }
        state.withLock { $0.observations.append(observation) }
        let session = profile.profile.sessions && observation.accepted ? sessions.start(for: observation.nameID ?? "", random: random) : nil
        return MockSessions.setting(session, on: MockHTTP.html(Self.resultPage(observation)))
    }

    static func fill(_ o: inout SPObservation, from v: ValidatedSAMLResponse) {
        o.issuer = v.issuer
        o.destination = v.destination
        o.inResponseTo = v.inResponseTo
        o.issueInstant = v.issueInstant.map(SAMLTime.string)
        o.status = v.status.shortForm
        o.responseSignature = v.responseSignature == nil ? "absent" : "valid"
        o.assertionSignature = v.assertionSignature == nil ? "absent" : "valid"
        o.responseSignatureAlgorithm = v.responseSignature.map { "\($0.algorithm.rawValue) \($0.digest.rawValue)" }
        o.assertionSignatureAlgorithm = v.assertionSignature.map { "\($0.algorithm.rawValue) \($0.digest.rawValue)" }
        o.signingCertificate = (v.assertionSignature ?? v.responseSignature)?.certificateSubject
        o.assertionEncryption = v.assertionEncryption?.shortForm
        guard let a = v.assertion else { return }
        o.nameID = a.nameID
        o.nameIDFormat = a.nameIDFormat
        o.recipient = a.recipient
        o.audiences = a.audiences
        o.notBefore = a.notBefore.map(SAMLTime.string)
        o.notOnOrAfter = a.notOnOrAfter.map(SAMLTime.string)
        o.sessionIndex = a.sessionIndex
        o.authnInstant = a.authnInstant.map(SAMLTime.string)
        o.attributes = a.attributes.isEmpty ? nil : Dictionary(a.attributes.map { ($0.name, $0.values) }, uniquingKeysWith: +)
    }

    /// `sp-result` after a Response, `sp-logout` after a logout message it did not answer
    /// with a redirect (a LogoutResponse received, or a request it refused to answer).
    static func resultPage(_ o: SPObservation) -> String {
        func observed(_ name: String, _ value: String?) -> String {
            "<code data-observe=\"\(name)\">\(MarkupEscaping.attribute(value ?? ""))</code>"
        }
        let kind = o.message == nil ? "sp-result" : "sp-logout"
        let body =
            switch (o.message, o.accepted) {
            case (nil, true): "<h1>Signed in</h1><p>as <strong data-observe=\"nameID\">\(MarkupEscaping.attribute(o.nameID ?? ""))</strong></p>"
            case (nil, false): "<h1>Sign-in refused</h1><p>error: \(observed("error", o.error))</p>"
            case ("LogoutResponse", true): "<h1>Signed out</h1><p>status: \(observed("status", o.status))</p>"
            case ("LogoutRequest", true): "<h1>Logout request received, not answered</h1><p>for \(observed("nameID", o.nameID))</p>"
            default: "<h1>Logout refused</h1><p>error: \(observed("error", o.error))</p><p>status: \(observed("status", o.status))</p>"
            }
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ih-page" content="\(kind)"><title>mock SP</title></head>
            <body>\(body)</body></html>
            """
    }
}
