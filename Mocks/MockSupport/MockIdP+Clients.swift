import Foundation
import Hummingbird
import IdentityCore
import OIDC

/// Which clients an OAuth kind serves: those its profile lists — confidential ones with a
/// secret, public ones (no `clientSecret`) by ID alone — or, for the generic kind with
/// none listed, any client at all.
extension MockIdentityProvider {
    /// The generic kind with no `clients` in its profile takes any client ID, with any
    /// secret or none, and any http(s) redirect URI, as mock-oauth2-server does: a
    /// developer points an application at it without registering anything. A profile that
    /// lists clients gets exact matching, which is what a relying party meets in production.
    var acceptsAnyClient: Bool { profile.kind == .oidc && profile.clients.isEmpty }

    /// The client of this ID, if this mock serves it.
    func knownClient(_ id: String?) -> IdPProfile.Client? {
        guard let id, !id.isEmpty else { return nil }
        if acceptsAnyClient { return IdPProfile.Client(clientID: id, clientSecret: nil, redirectURIs: []) }
        return profile.clients.first { $0.clientID == id }
    }

    /// Whether `uri` may receive the person back: one of `registered` exactly, or, when
    /// any client is taken, any absolute http(s) URI without a fragment (RFC 6749 §3.1.2).
    func allows(_ uri: String?, registered: [String]) throws -> Bool {
        guard let uri else { return false }
        if acceptsAnyClient {
            guard let url = URLComponents(string: uri), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false
            else { return false }
            return url.fragment == nil
        }
        return try registered.map(resolve).contains(uri)
    }

    /// Client authentication at the token, device-authorization, introspection and
    /// revocation endpoints (RFC 6749 §2.3): HTTP Basic, or `client_id` and
    /// `client_secret` in the form. A confidential client's secret is compared in constant
    /// time; a public client names itself only. `method` is how the client authenticated,
    /// for the observation.
    func authenticateClient(_ request: Request, form: [String: String]) -> (client: IdPProfile.Client?, method: String?) {
        var clientID = form["client_id"]
        var secret = form["client_secret"]
        var method: String? = secret == nil ? (clientID == nil ? nil : "none") : (profile.kind == .facebook ? "query" : "client_secret_post")
        if let header = request.headers[.authorization], let basic = BasicCredentials(authorization: header)?.formDecoded {
            clientID = basic.username
            secret = basic.password
            method = "client_secret_basic"
        }
        guard let client = knownClient(clientID) else { return (nil, method) }
        if let expected = client.clientSecret {
            guard let secret, ConstantTime.equals(secret, expected) else { return (nil, method) }
        }
        return (client, method)
    }
}
