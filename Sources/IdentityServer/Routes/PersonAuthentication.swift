import AuthFramework
import Hummingbird
import IdentityCore

/// HTTP Basic with a person's own username and password, for the self-service APIs (their
/// consents, their federated associations): checked as the login form checks it (AU-5,
/// AU-7), JSON errors, 401 with a challenge, 429 once the address has used up its failures.
struct PersonAuthentication<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime

    func callAsFunction(_ request: Request, _ context: Context, _ body: (User) async throws -> Response) async throws -> Response {
        do {
            guard let credentials = request.basicCredentials else { return try Self.challenge() }
            switch try await runtime.engine.checkPassword(
                username: credentials.username, password: credentials.password, client: context.clientAddress)
            {
            case .accepted(let user) where !user.mustChangePassword:
                return try await body(user)
            case .throttled:
                return try JSONAnswer.error(RequestError(.requestThrottled, detail: "too many failed sign-ins from this address; try again later"))
            case .accepted, .refused:
                return try Self.challenge()
            }
        } catch let error as any CodedError {
            return try JSONAnswer.error(error)
        }
    }

    static func challenge() throws -> Response {
        try JSONAnswer.challenge(realm: "identity-server", detail: "your username and password are required")
    }
}
