import _CryptoExtras
import Foundation
import Hummingbird
import IdentityCore
import JWTKit
import OIDC

/// How the mock RP sends its authorization request (SP-2, RFC 9101, RFC 9126), by `/login`
/// switches:
/// - `request=signed` — every parameter in a request object signed with the RP's key
///   (RS256; `iss` the client, `aud` the issuer, `exp` in 5 minutes), only `client_id`,
///   `response_type` and `request` in the query; `request=none` the same object with
///   `alg: none`; `request=forged` signed with a key the server does not know;
///   `request_lifetime=N` (seconds, negative: already expired).
/// - `query_redirect_uri=URL`, `query_response_type=T` — also put in the query, contradicting
///   the signed request (a server must use the object's, or refuse).
/// - `par=true` — the request (object or plain parameters) pushed first, authenticated,
///   and the browser sent with the `request_uri` alone; `par=reuse` sends the browser with
///   the previous `request_uri` again. A PAR refusal is recorded (`action: par`).
extension MockRelyingParty {
    func authorizationRedirect(_ parameters: [(String, String?)], _ q: [String: String], discovery: ProviderMetadata) async throws -> Response {
        let clientID = q["client_id"] ?? profile.clientID
        var sent = parameters.compactMap { pair in pair.1.map { (pair.0, $0) } }
        if let mode = q["request"] {
            let object = try await requestObject(Dictionary(sent, uniquingKeysWith: { first, _ in first }), mode: mode, q)
            sent = [("client_id", clientID), ("response_type", q["response_type"] ?? "code"), ("request", object)]
        }
        if let uri = q["query_redirect_uri"] { sent.append(("redirect_uri", uri)) }
        if let type = q["query_response_type"] { sent.removeAll { $0.0 == "response_type" }; sent.append(("response_type", type)) }
        switch q["par"] {
        case "true":
            let endpoint = try discovery.endpoint(\.pushedAuthorizationRequestEndpoint, named: "pushed_authorization_request_endpoint")
            let (status, body) = try await clientRequest(endpoint, Dictionary(sent, uniquingKeysWith: { first, _ in first }))
            guard status == 201, let uri = body?["request_uri"]?.string else {
                var observation = RPObservation(action: "par")
                observation.refused(status: status, body: body)
                return record(observation)
            }
            state.withLock { $0.requestURI = uri }
            sent = [("client_id", clientID), ("request_uri", uri)]
        case "reuse":
            sent = [("client_id", clientID), ("request_uri", state.withLock { $0.requestURI } ?? "")]
        default:
            break
        }
        return Response(status: .found, headers: [.location: discovery.authorizationEndpoint + "?" + URLEncoding.query(sent.map { ($0.0, $0.1) })])
    }

    /// The request object: the authorization parameters as claims, plus `iss`, `aud`,
    /// `iat`, `exp`, `jti` (RFC 9101 §4).
    private func requestObject(_ parameters: [String: String], mode: String, _ q: [String: String]) async throws -> String {
        var claims = parameters.mapValues { ClaimValue.string($0) }
        if let maxAge = parameters["max_age"].flatMap(Int.init) { claims["max_age"] = .number(maxAge) }
        let now = Int(clock.now.timeIntervalSince1970)
        claims["iss"] = .string(profile.clientID)
        claims["aud"] = .string(issuer)
        claims["iat"] = .number(now)
        claims["exp"] = .number(now + (Int(q["request_lifetime"] ?? "") ?? 300))
        claims["jti"] = .string(random.token())
        switch mode {
        case "none":
            let header = Base64URL.encode(Array(#"{"alg":"none","typ":"oauth-authz-req+jwt"}"#.utf8))
            return header + "." + Base64URL.encode(Array(try JSONEncoder().encode(claims))) + "."
        case "forged":
            let keys = JWTKeyCollection()
            await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: Self.strangerKey()), digestAlgorithm: .sha256, kid: "rp")
            return try await keys.sign(MockJWTClaims(claims), kid: "rp")
        default:
            guard let assertionKeys else {
                throw MockError(.mockProfileInvalid, field: "signing", detail: "request=signed needs the RP's signing key pair in its profile")
            }
            return try await assertionKeys.sign(MockJWTClaims(claims), kid: "rp")
        }
    }

    /// An RSA key nobody registered, made once per process.
    private static func strangerKey() throws -> String {
        try StrangerKey.pem.get()
    }
}

/// A key made on first use: a request object it signs verifies with no registered certificate.
private enum StrangerKey {
    static let pem: Result<String, any Error> = Result { try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation }
}

