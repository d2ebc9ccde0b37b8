import Foundation
import Hummingbird
import IdentityCore
import OIDC
import SAML
import XMLSecurity

/// Tokens and assertions minted without a browser, for tests that need a signed token from
/// this IdP and no login: the bearer assertions of RFC 7523 (JWT) and RFC 7522 (SAML), ID
/// tokens, and RFC 9068 access tokens. The faults in force apply, and a request can add its
/// own (`expired`, `not-yet-valid`, `wrong-issuer`, `wrong-audience`, `wrong-recipient`,
/// `unsigned`, `unknown-key`, `missing-user-id`), so a test can mint a hostile token as
/// easily as a good one.
///
/// `POST /_mock/<issuer>/token` (OAuth kinds; `<issuer>` is the issuer path segment, as
/// everywhere on the generic kind) or `POST /_mock/token`; `POST /_mock/assertion` (SAML).
/// Form fields or a JSON object (``TokenMint``): `subject` (a test user's username or id;
/// anything else is taken as the subject itself), `audience` (required), `type`
/// (`assertion`, the default, `id_token` or `access_token`), `lifetime` (seconds),
/// `claims` (a JSON object added over the user's), `faults` (a list, or comma-separated),
/// `alg` (`RS256`, or `none` as the `unsigned` fault), `scope` and `client_id` (access
/// tokens), `recipient` (SAML: the token endpoint). The answer is `{"token": …}` to a JSON
/// request, else a page showing it (`data-observe="token"`) for a scenario to use as
/// `{page.token}`.
extension MockIdentityProvider {
    func addMintingRoutes(to router: Router<BasicRequestContext>) {
        switch profile.kind {
        case .saml:
            router.post("/_mock/assertion") { request, _ in try await self.mint(request) { try self.mintSAMLAssertion($0) } }
        case .oidc, .google, .microsoft, .facebook, .github:
            router.post("/_mock/token") { request, context in
                try await self.mint(request) { try await self.mintJWT($0, issuer: self.issuer(context)) }
            }
            router.post("/_mock/:issuer/token") { request, context in
                try await self.mint(request) { try await self.mintJWT($0, issuer: self.issuer(context)) }
            }
        }
    }

    struct MintRequest {
        var fields: [String: String]
        var json: Bool

        func require(_ name: String) throws -> String {
            guard let value = fields[name], !value.isEmpty else {
                throw MockError(.mockBadOption, field: name, detail: "minting needs \(name)")
            }
            return value
        }

        /// The request as a ``TokenMint``: every field checked, so a typo is an error
        /// rather than a token quietly minted without it.
        func tokenMint() throws -> TokenMint {
            var mint = TokenMint(subject: try require("subject"), audience: try require("audience"))
            if let type = fields["type"] {
                guard let kind = TokenMint.Kind(rawValue: type) else {
                    throw MockError(.mockBadOption, field: "type", value: type, detail: "assertion, id_token or access_token")
                }
                mint.type = kind
            }
            if let text = fields["lifetime"] {
                guard let seconds = Int(text) else { throw MockError(.mockBadOption, field: "lifetime", value: text, detail: "seconds") }
                mint.lifetime = seconds
            }
            if let text = fields["claims"], !text.isEmpty {
                guard let claims = try? JSONDecoder().decode([String: ClaimValue].self, from: Data(text.utf8)) else {
                    throw MockError(.mockBadOption, field: "claims", detail: "a JSON object of claims")
                }
                mint.claims = claims
            }
            if let text = fields["faults"], !text.isEmpty {
                let names = (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? text.split(separator: ",").map(String.init)
                mint.faults = try names.map { name in
                    guard let fault = IdPFault(rawValue: name) else {
                        throw MockError(.mockBadOption, field: "faults", value: name, detail: "no such fault; see IdPFault")
                    }
                    return fault
                }
            }
            switch fields["alg"] {
            case nil, "RS256": break
            case "none": mint.faults.append(.unsigned)
            case let other?: throw MockError(.mockBadOption, field: "alg", value: other, detail: "this mock signs RS256 (or none)")
            }
            mint.scope = fields["scope"]
            mint.clientID = fields["client_id"]
            return mint
        }
    }

    private func mint(_ request: Request, _ body: (MintRequest) async throws -> String) async throws -> Response {
        var request = request
        let json = request.headers[.contentType]?.contains("json") == true
        let text = String(buffer: try await request.collectBody(upTo: 64 * 1024))
        let fields: [String: String]
        if json {
            guard let decoded = try? JSONDecoder().decode([String: ClaimValue].self, from: Data(text.utf8)) else {
                throw MockError(.mockBadOption, field: "body", detail: "expected a JSON object")
            }
            fields = decoded.compactMapValues { $0.string ?? (try? JSONEncoder().encode($0)).map { String(decoding: $0, as: UTF8.self) } }
        } else {
            fields = MockHTTP.fields(text)
        }
        let minted = try await body(MintRequest(fields: fields, json: json))
        var observation = IdPObservation(action: "mint")
        observation.outcome = fields["type"] ?? "assertion"
        record(observation)
        if json || request.headers[.accept]?.contains("application/json") == true { return try MockHTTP.json(["token": minted]) }
        return MockHTTP.page("idp-minted", title: "mock IdP", "<p>minted: <code data-observe=\"token\">\(MarkupEscaping.attribute(minted))</code></p>")
    }

    func mintJWT(_ m: MintRequest, issuer: String) async throws -> String {
        try await mint(m.tokenMint(), issuer: issuer)
    }

    /// Mints a JWT for `issuer` (a URL this mock serves: ``issuer(named:)``): a JWT bearer
    /// assertion (RFC 7523 §3: iss, sub, aud, exp, iat, jti, the user's claims), an ID
    /// token, or an RFC 9068 access token (`typ: at+jwt`, `client_id`, `scope`), signed as
    /// this IdP signs, with the faults in force and the mint's own applied.
    public func mint(_ mint: TokenMint, issuer: String) async throws -> String {
        let faults = self.faults.union(mint.faults)
        let lifetime = min(max(mint.lifetime ?? profile.validitySeconds, -86_400 * 365), 86_400 * 365)
        let user = testUser(mint.subject)
        var claims = Self.adding(mint.claims, to: user.map(userClaims) ?? [:])
        switch mint.type {
        case .assertion: claims["jti"] = .string(random.token())
        case .idToken: break
        case .accessToken:
            claims["jti"] = .string(random.token())
            claims["client_id"] = .string(mint.clientID ?? mint.audience)
            claims["scope"] = .string(mint.scope ?? "")
        }
        return try await faultedJWT(
            claims, issuer: issuer, subject: user?.id ?? mint.subject, audience: mint.audience, lifetime: lifetime, faults: faults,
            typ: mint.type == .accessToken ? "at+jwt" : "JWT")
    }

    /// The issuer URL of the generic kind's issuer `name` (any name is served), or this
    /// kind's one issuer.
    public func issuer(named name: String? = nil) -> String {
        switch profile.kind {
        case .oidc: "\(baseURL)/\(name ?? profile.issuerName)"
        case .microsoft: "\(baseURL)/\(profile.tenantID)/v2.0"
        case .saml: entityID
        default: baseURL
        }
    }

    /// A signed SAML 2.0 Assertion for the bearer grant (RFC 7522 §3), base64url.
    func mintSAMLAssertion(_ m: MintRequest) throws -> String {
        let faults = self.faults.union(try m.tokenMint().faults)
        let subject = try m.require("subject")
        let audience = try m.require("audience")
        let recipient = m.fields["recipient"] ?? audience
        let now = faultedNow(faults)
        let user = testUser(subject)
        let content = SAMLAssertionContent(
            nameID: faults.contains(.missingUserID) ? "" : user?.id ?? subject, nameIDFormat: NameIDFormat.persistent.rawValue,
            attributes: user.map(attributes) ?? [], authnInstant: now, sessionIndex: random.xmlIdentifier())
        let signing = try samlSigningOptions(faults, signResponse: false, signAssertion: true)
        let xml = try SAMLResponseBuilder(clock: FixedWallClock(now), random: random).assertion(
            SAMLResponseParameters(
                issuer: faults.contains(.wrongIssuer) ? "https://evil.example/idp" : entityID, destination: recipient, inResponseTo: nil,
                audiences: [faults.contains(.wrongAudience) ? "https://someone-else.example" : audience],
                recipient: faults.contains(.wrongRecipient) ? "https://evil.example/token" : recipient,
                validity: TimeInterval(Int(m.fields["lifetime"] ?? "") ?? profile.validitySeconds), status: .success, assertion: content,
                signing: signing))
        return Base64URL.encode(Array(xml.utf8))
    }
}
