import Hummingbird
import IdentityCore

extension ServerRuntime {
    /// Every refusal's detail goes here and nowhere else: people and clients get the
    /// catalogue's public message (error page, OAuth `error_description`, SAML
    /// StatusMessage), operators read what happened in the log. `place` names where it
    /// was refused (`POST /oauth2/token`, `flow f-…`).
    /// A refusal of the server's own making (a 5xx: the database failing) is an error an
    /// operator must see at the default level; a refused request is information.
    func logRefusal(_ error: any CodedError, at place: String) {
        logger.log(level: error.code.status >= 500 ? .error : .info, "refused \(place): \(error)")
    }

    func logRefusal(_ error: any CodedError, of request: Request) {
        logRefusal(error, at: "\(request.method) \(request.uri.path)")
    }
}
