public import Foundation
public import IdentityCore
import JWTKit
import IdentityStorage

/// Signed authorization requests (RFC 9101, SP-2 for OIDC) and pushed authorization
/// requests (RFC 9126): what the authorization endpoint acts on before its checks run.
///
/// - `request`: a JWT signed with the key of the application certificate (RS256, PS256 or
///   ES256). Only its parameters are used (RFC 9101 §6.3); a `client_id` or
///   `response_type` in the query must equal the object's (OIDC Core §6.1), others in the
///   query are ignored. `alg: none` is always refused: an unsigned object proves nothing
///   that plain parameters do not. It must name this server in `aud`, the client as `iss`
///   when it has one, carry an `exp`, and live at most an hour.
/// - `request_uri`: only one this server issued at its PAR endpoint
///   (`urn:ietf:params:oauth:request_uri:…`), for the same client, within 60 seconds, once.
///   A URL is never fetched (`request_uri_not_supported`): the server would make requests
///   wherever a client pointed it.
/// - A client's `requireSignedRequestObject` and `requirePushedAuthorizationRequests`
///   refuse anything else.
public struct RequestObjectResolver: Sendable {
    public let context: OAuthContext

    public static let requestURIPrefix = "urn:ietf:params:oauth:request_uri:"
    /// Seconds a pushed request may wait for the browser (RFC 9126 §2.2 suggests 5 to 600).
    public static let pushedRequestLifetime = 60
    public static let maximumLifetime: TimeInterval = 3600
    static let clockSkew: TimeInterval = 60
    static let registeredClaims: Set<String> = ["iss", "aud", "exp", "nbf", "iat", "jti"]

    public init(context: OAuthContext) {
        self.context = context
    }

    /// The request as the endpoint acts on it, and how it came.
    public struct Resolved: Sendable {
        public var request: AuthorizationRequest
        public var signed: Bool
        public var pushed: Bool
    }

    public func resolve(_ request: AuthorizationRequest, client: ServiceProvider?) async throws(OAuthError) -> Resolved {
        if request["request"] != nil && request["request_uri"] != nil {
            throw OAuthError(.oauthInvalidRequest, field: "request", detail: "request and request_uri together")
        }
        // An unknown client is left to the checks, which show it on a page.
        guard let client, let settings = client.oidc else { return Resolved(request: request, signed: false, pushed: false) }
        let resolved: Resolved
        if let uri = request["request_uri"] {
            resolved = try await redeem(uri, clientID: settings.clientID)
        } else if let object = request["request"] {
            var parameters = try await verify(object, client: client, settings: settings)
            // OIDC Core §6.1: these two must be in the query too, and the same.
            for name in ["client_id", "response_type"] {
                if let given = request[name], let signed = parameters[name], given != signed {
                    throw OAuthError(
                        .oauthInvalidRequestObject, field: name, value: given, detail: "the query's \(name) contradicts the signed request's")
                }
            }
            parameters["client_id"] = settings.clientID
            resolved = Resolved(request: AuthorizationRequest(parameters: parameters), signed: true, pushed: false)
        } else {
            resolved = Resolved(request: request, signed: false, pushed: false)
        }
        if settings.requirePushedAuthorizationRequests && !resolved.pushed {
            throw OAuthError(.oauthPushedRequestRequired, detail: "this client must push its authorization requests (RFC 9126)")
        }
        if settings.requireSignedRequestObject && !resolved.signed {
            throw OAuthError(.oauthInvalidRequestObject, field: "request", detail: "this client must sign its authorization requests")
        }
        return resolved
    }

    private func redeem(_ uri: String, clientID: String) async throws(OAuthError) -> Resolved {
        guard uri.hasPrefix(Self.requestURIPrefix), uri.utf8.count <= 256 else {
            throw OAuthError(.oauthRequestURINotSupported, field: "request_uri", detail: "only request URIs from the PAR endpoint are accepted")
        }
        let now = context.clock.now
        let record: PushedAuthorizationRecord
        do {
            record = try await context.storage.pushedAuthorizations.redeem(id: OAuthContext.storageID(uri)) { record in
                guard !record.used else { throw OAuthError(.oauthInvalidRequestURI, detail: "this request_uri was already used") }
                guard record.expiresAt > now else { throw OAuthError(.oauthInvalidRequestURI, detail: "this request_uri has expired") }
                guard record.clientID == clientID else { throw OAuthError(.oauthInvalidRequestURI, detail: "this request_uri belongs to another client") }
            }
        } catch let error as OAuthError {
            throw error
        } catch let error as StorageError where error.code == .storageNotFound {
            throw OAuthError(.oauthInvalidRequestURI, detail: "no such request_uri")
        } catch {
            throw OAuthError(.oauthInvalidRequestURI, detail: "the pushed request could not be read: \(error)")
        }
        var parameters = record.parameters
        parameters["client_id"] = clientID
        return Resolved(request: AuthorizationRequest(parameters: parameters), signed: record.signed, pushed: true)
    }

    /// A request object's parameters, once its signature and claims are checked.
    public func verify(_ object: String, client: ServiceProvider, settings: OIDCSettings) async throws(OAuthError) -> [String: String] {
        func refuse(_ detail: String, field: String? = nil) -> OAuthError { OAuthError(.oauthInvalidRequestObject, field: field, detail: detail) }
        let header: JOSEHeader
        do {
            header = try JOSEHeader(token: object)
        } catch {
            throw refuse("not a JWS: \(error.detail)")
        }
        guard header.alg != "none" else { throw refuse("alg none: an unsigned request object is never accepted", field: "alg") }
        let payload: RequestObjectClaims
        if let certificate = client.certificate {
            do {
                let keys = try await ApplicationCertificateKey.keys(certificate: certificate, alg: header.alg)
                payload = try await keys.verify(object, as: RequestObjectClaims.self)
            } catch let problem as ApplicationCertificateKey.Problem {
                throw refuse(problem.detail, field: "alg")
            } catch {
                throw refuse("the signature does not verify with the application certificate")
            }
        } else if let jwks = settings.jwks {
            do {
                let keys = try await VerificationKeySet(jwks: Data(jwks.utf8))
                payload = try await keys.verify(object, as: RequestObjectClaims.self, allowed: Set(ApplicationCertificateKey.algorithms)).0
            } catch {
                throw refuse("the signature does not verify with the client's JWKS: \(error.detail)")
            }
        } else {
            throw refuse("the client has neither an application certificate nor a JWKS to verify it with")
        }
        let claims = payload.claims
        if let iss = claims["iss"], iss.string != settings.clientID {
            throw refuse("iss is not the client ID", field: "iss")
        }
        let audiences: [String] = switch claims["aud"] {
        case .string(let one)?: [one]
        case .array(let many)?: many.compactMap(\.string)
        default: []
        }
        guard audiences.contains(context.issuer) else { throw refuse("aud does not name this server's issuer", field: "aud") }
        let now = context.clock.now
        guard let exp = claims["exp"]?.seconds else { throw refuse("a request object must carry exp", field: "exp") }
        guard now < Date(timeIntervalSince1970: exp).addingTimeInterval(Self.clockSkew) else { throw refuse("the request object has expired", field: "exp") }
        let start = claims["nbf"]?.seconds ?? claims["iat"]?.seconds ?? now.timeIntervalSince1970
        if let nbf = claims["nbf"]?.seconds, now.addingTimeInterval(Self.clockSkew) < Date(timeIntervalSince1970: nbf) {
            throw refuse("the request object is not valid yet", field: "nbf")
        }
        guard exp - start <= Self.maximumLifetime + Self.clockSkew else {
            throw refuse("the request object lives longer than \(Int(Self.maximumLifetime)) seconds", field: "exp")
        }
        var parameters = [String: String]()
        for (name, value) in claims where !Self.registeredClaims.contains(name) {
            guard name != "request" && name != "request_uri" else { throw refuse("a request object may not hold another", field: name) }
            parameters[name] = value.parameterText
        }
        return parameters
    }
}

/// A request object's payload: every claim, as sent.
struct RequestObjectClaims: JWTPayload {
    let claims: [String: ClaimValue]

    init(from decoder: any Decoder) throws {
        claims = try [String: ClaimValue](from: decoder)
    }

    func encode(to encoder: any Encoder) throws { try claims.encode(to: encoder) }
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension ClaimValue {
    /// Seconds, from a JSON number.
    var seconds: TimeInterval? {
        if case .number(let n) = self { return TimeInterval(n) }
        return nil
    }

    /// The authorization parameter a claim stands for: a string as it is, a number as its
    /// digits (`max_age`), an object or array as its JSON (`claims`).
    var parameterText: String {
        if let string { return string }
        if case .number(let n) = self { return String(n) }
        return (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
