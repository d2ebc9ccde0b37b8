public import Foundation
import IdentityCore
import JWTKit

/// Client authentication at the token, introspection, revocation and device endpoints
/// (RFC 6749 §2.3, RFC 7523 §2.2): `client_secret_basic`, `client_secret_post`,
/// `private_key_jwt` with the application certificate (SP-2), or `none` for a public
/// client. A client must use the one method it is registered for, and only one.
public struct ClientAuthenticator: Sendable {
    public static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    public static let maximumAssertionLifetime: TimeInterval = 300

    public let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    public func authenticate(_ request: TokenRequest) async throws -> AuthenticatedClient {
        var methods = [(method: String, clientID: String, credential: String?)]()
        if let header = request.authorization, BasicCredentials.isBasic(header) {
            guard let basic = BasicCredentials(authorization: header)?.formDecoded else {
                throw OAuthError(.oauthInvalidClient, detail: "the Basic authorization header is malformed")
            }
            methods.append(("client_secret_basic", basic.username, basic.password))
        }
        if let secret = request["client_secret"] {
            methods.append(("client_secret_post", request["client_id"] ?? "", secret))
        }
        if let assertion = request["client_assertion"] {
            guard request["client_assertion_type"] == Self.assertionType else {
                throw OAuthError(.oauthInvalidClient, field: "client_assertion_type", detail: "unsupported client_assertion_type")
            }
            let claims = try? JSONDecoder().decode(
                ClientAssertionPeek.self, from: Base64URL.decode(String(assertion.split(separator: ".").dropFirst().first ?? "")) ?? Data())
            methods.append(("private_key_jwt", claims?.sub ?? request["client_id"] ?? "", assertion))
        }
        guard methods.count <= 1 else {
            throw OAuthError(.oauthInvalidRequest, detail: "use exactly one client authentication method")
        }
        let used = methods.first ?? ("none", request["client_id"] ?? "", nil)
        guard !used.clientID.isEmpty else {
            throw OAuthError(.oauthInvalidClient, field: "client_id", detail: "the request names no client")
        }
        if let named = request["client_id"], named != used.clientID {
            throw OAuthError(.oauthInvalidClient, field: "client_id", value: named, detail: "client_id differs from the authenticated client")
        }
        guard let sp = try await context.storage.serviceProviders.find(.oidcClientID(used.clientID)), let settings = sp.oidc else {
            throw OAuthError(.oauthInvalidClient, field: "client_id", value: used.clientID, detail: "client authentication failed")
        }
        // Before any credential is checked, say nothing about how the client is registered.
        guard settings.tokenEndpointAuthMethod.rawValue == used.method else {
            throw OAuthError(.oauthInvalidClient, detail: "client authentication failed")
        }
        switch used.method {
        case "client_secret_basic", "client_secret_post":
            guard let stored = settings.clientSecretHash, ClientSecret.matches(used.credential ?? "", stored: stored) else {
                throw OAuthError(.oauthInvalidClient, detail: "client authentication failed")
            }
        case "private_key_jwt":
            try await verifyAssertion(used.credential ?? "", clientID: used.clientID, certificate: sp.certificate)
        default:
            break
        }
        return AuthenticatedClient(serviceProvider: sp, settings: settings, method: used.method)
    }

    /// A `private_key_jwt` assertion: signed by the key of the application certificate with
    /// an algorithm for that key type, `iss` = `sub` = client ID, `aud` naming this token
    /// endpoint or issuer, not expired.
    func verifyAssertion(_ assertion: String, clientID: String, certificate: String?) async throws {
        guard let certificate else {
            throw OAuthError(.oauthInvalidClient, detail: "the client has no certificate to verify its assertion")
        }
        let header: JOSEHeader
        do {
            header = try JOSEHeader(token: assertion)
        } catch where error.code == .jwtTooLarge {
            throw OAuthError(.oauthInvalidClient, value: error.value, detail: error.detail)
        } catch {
            throw OAuthError(.oauthInvalidClient, detail: "the client assertion is not a JWT")
        }
        let keys: JWTKeyCollection
        do {
            keys = try await ApplicationCertificateKey.keys(certificate: certificate, alg: header.alg)
        } catch {
            throw OAuthError(.oauthInvalidClient, value: header.alg, detail: error.detail)
        }
        let claims: ClientAssertionClaims
        do {
            claims = try await keys.verify(assertion, as: ClientAssertionClaims.self)
        } catch {
            throw OAuthError(.oauthInvalidClient, detail: "the client assertion's signature does not verify")
        }
        guard claims.iss == clientID, claims.sub == clientID else {
            throw OAuthError(.oauthInvalidClient, detail: "the client assertion's iss and sub must be the client ID")
        }
        guard claims.aud.value.contains(where: { $0 == context.tokenEndpoint || $0 == context.issuer }) else {
            throw OAuthError(.oauthInvalidClient, detail: "the client assertion is not addressed to this token endpoint")
        }
        let now = context.clock.now
        guard claims.exp > now else {
            throw OAuthError(.oauthInvalidClient, detail: "the client assertion has expired")
        }
        // OIDC Core §9: jti is required and the assertion used once. Capping the lifetime
        // keeps the replay cache small and a stolen assertion short-lived.
        guard claims.exp.timeIntervalSince(now) <= Self.maximumAssertionLifetime else {
            throw OAuthError(.oauthInvalidClient, detail: "the client assertion lives longer than \(Int(Self.maximumAssertionLifetime)) seconds")
        }
        guard let jti = claims.jti, !jti.isEmpty else {
            throw OAuthError(.oauthInvalidClient, detail: "the client assertion has no jti")
        }
        guard try await context.storage.replays.claim("client-assertion:\(clientID):\(jti)", until: claims.exp, now: now) else {
            throw OAuthError(.oauthInvalidClient, detail: "the client assertion was already used")
        }
    }
}

/// Just enough of an unverified assertion to know which client it claims to be.
struct ClientAssertionPeek: Decodable {
    let sub: String?
}
