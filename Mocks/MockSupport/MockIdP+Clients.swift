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
    /// That makes the mock an open redirector by design — it is a development tool, for
    /// loopback and test networks, never the internet.
    func allows(_ uri: String?, registered: [String]) throws -> Bool {
        guard let uri else { return false }
        if acceptsAnyClient { return Self.origin(of: uri) != nil }
        return try registered.map(resolve).contains(uri)
    }

    /// Where RP-initiated logout may send the person: one of `registered`; when any
    /// client is taken, only to the origin of a redirect URI this client logged in with,
    /// so the logout endpoint is no redirector for anyone.
    func allowsAfterLogout(_ uri: String, client: IdPProfile.Client) throws -> Bool {
        guard acceptsAnyClient else { return try registered(uri, client.postLogoutRedirectURIs) }
        guard let origin = Self.origin(of: uri) else { return false }
        return state.withLock { $0.clientOrigins[client.clientID]?.contains(origin) ?? false }
    }

    private func registered(_ uri: String, _ list: [String]) throws -> Bool {
        try list.map(resolve).contains(uri)
    }

    /// Notes the origin a client's person was logged in and sent back to (any-client
    /// mode): the newest 16 per client.
    func remember(origin uri: String, of clientID: String) {
        guard acceptsAnyClient, let origin = Self.origin(of: uri) else { return }
        state.withLock { state in
            var origins = state.clientOrigins[clientID] ?? []
            origins.removeAll { $0 == origin }
            origins.append(origin)
            Self.remember(Array(origins.suffix(16)), as: clientID, in: &state.clientOrigins, order: &state.clientOriginOrder)
        }
    }

    /// `scheme://host[:port]` of an absolute http(s) URI without a fragment; nil otherwise.
    static func origin(of uri: String) -> String? {
        guard let url = URLComponents(string: uri), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.fragment == nil
        else { return nil }
        return "\(scheme)://\(host.lowercased())" + (url.port.map { ":\($0)" } ?? "")
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
            // Two identities in one request are refused, not resolved in either's favour.
            guard clientID == nil || clientID == basic.username, secret == nil else { return (nil, "client_secret_basic") }
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
