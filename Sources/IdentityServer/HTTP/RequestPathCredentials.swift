import AuthFramework
import Hummingbird
import IdentityCore

extension AuthenticationRequest.Credentials {
    /// AU-4: `Authorization: Basic` on the request that starts a login, or — as WSO2's
    /// BasicAuthRequestPathAuthenticator also reads — a `sectoken` query parameter
    /// holding base64 `username:password` (what a browser redirect can carry).
    init?(basicAuthorizationOf request: Request, from clientAddress: String?) {
        if let basic = request.basicCredentials {
            self.init(username: basic.username, password: basic.password, clientAddress: clientAddress)
            return
        }
        // The same base64 `username:password` a Basic header carries.
        guard let token = request.uri.queryParameters["sectoken"], let sectoken = BasicCredentials(authorization: "Basic \(token)") else { return nil }
        self.init(username: sectoken.username, password: sectoken.password, clientAddress: clientAddress)
    }
}
