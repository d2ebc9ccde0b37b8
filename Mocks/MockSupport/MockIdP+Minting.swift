import Foundation
import Hummingbird
import IdentityCore
import OIDC
import SAML
import XMLSecurity

/// Tokens and assertions minted without a browser, for tests that need a signed token from
/// this IdP and no login: the bearer assertions of RFC 7523 (JWT) and RFC 7522 (SAML), and
/// ID tokens. The faults in force apply (`expired`, `not-yet-valid`, `wrong-issuer`,
/// `wrong-audience`, `wrong-recipient`, `unsigned`, `unknown-key`, `missing-user-id`), so
/// a test can mint a hostile one as easily as a good one.
///
/// `POST /_mock/<issuer>/token` (OAuth kinds; `<issuer>` is the issuer path segment, as
/// everywhere on the generic kind) or `POST /_mock/token`; `POST /_mock/assertion` (SAML).
/// Form fields or a JSON object: `subject` (a test user's username; anything else is taken
/// as the subject itself), `audience` (required), `type` (`assertion`, the default, or
/// `id_token`), `lifetime` (seconds), `recipient` (SAML: the token endpoint). The answer is
/// `{"token": …}` to a JSON request, else a page showing it (`data-observe="token"`) for a
/// scenario to use as `{page.token}`.
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
            fields = Dictionary(URLEncoding.pairs(text).map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        let minted = try await body(MintRequest(fields: fields, json: json))
        var observation = IdPObservation(action: "mint")
        observation.outcome = fields["type"] ?? "assertion"
        record(observation)
        if json || request.headers[.accept]?.contains("application/json") == true { return try MockHTTP.json(["token": minted]) }
        return MockHTTP.page("idp-minted", title: "mock IdP", "<p>minted: <code data-observe=\"token\">\(MarkupEscaping.attribute(minted))</code></p>")
    }

    /// The test user `subject` names, if it names one.
    private func testUser(_ subject: String) -> IdPProfile.TestUser? {
        state.withLock { $0.users.first { $0.username == subject || $0.id == subject } }
    }

    /// A JWT bearer assertion (RFC 7523 §3: iss, sub, aud, exp, iat, jti, and the user's
    /// claims) or an ID token, signed as this IdP's ID tokens are.
    func mintJWT(_ m: MintRequest, issuer: String) async throws -> String {
        let faults = self.faults
        let subject = try m.require("subject")
        let audience = try m.require("audience")
        let type = m.fields["type"] ?? "assertion"
        guard type == "assertion" || type == "id_token" else {
            throw MockError(.mockBadOption, field: "type", value: type, detail: "assertion or id_token")
        }
        let lifetime = min(max(Int(m.fields["lifetime"] ?? "") ?? profile.validitySeconds, -86_400 * 365), 86_400 * 365)
        let user = testUser(subject)
        var claims = user.map(userClaims) ?? [:]
        if type == "assertion" { claims["jti"] = .string(random.token()) }
        return try await faultedJWT(claims, issuer: issuer, subject: user?.id ?? subject, audience: audience, lifetime: lifetime, faults: faults)
    }

    /// A signed SAML 2.0 Assertion for the bearer grant (RFC 7522 §3), base64url.
    func mintSAMLAssertion(_ m: MintRequest) throws -> String {
        let faults = self.faults
        let subject = try m.require("subject")
        let audience = try m.require("audience")
        let recipient = m.fields["recipient"] ?? audience
        let now = faultedNow(faults)
        let user = testUser(subject)
        let content = SAMLAssertionContent(
            nameID: faults.contains(.missingUserID) ? "" : user?.id ?? subject, nameIDFormat: NameIDFormat.persistent.rawValue,
            attributes: user.map(attributes) ?? [], authnInstant: now, sessionIndex: random.xmlIdentifier())
        let signing = samlSigningOptions(faults, signResponse: false, signAssertion: true)
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
