public import IdentityCore

/// The parameters of an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1), as
/// received. Nothing here is trusted until `AuthorizePipeline` has checked it.
public struct AuthorizationRequest: Sendable {
    public var parameters: [String: String]
    /// Parameters that appeared more than once (refused: RFC 6749 §3.1).
    public var repeated: [String]

    /// Each parameter is limited; a longer one is refused before any other check.
    public static let maximumParameterLength = 2048

    public init(parameters: [String: String], repeated: [String] = []) {
        self.parameters = parameters
        self.repeated = repeated
    }

    /// From name/value pairs as received, keeping the first of repeated names.
    public init(pairs: [(name: String, value: String)]) {
        var parameters = [String: String]()
        var repeated = [String]()
        for (name, value) in pairs {
            if parameters[name] == nil { parameters[name] = value } else if !repeated.contains(name) { repeated.append(name) }
        }
        self.init(parameters: parameters, repeated: repeated)
    }

    public subscript(name: String) -> String? {
        parameters[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// A request that passed every check: what the flow carries until it answers.
public struct ValidatedAuthorization: Sendable, Codable, Equatable {
    public var serviceProvider: String
    public var clientID: String
    public var redirectURI: String
    /// Whether the request named it (else the single registered one was taken).
    public var redirectURIGiven: Bool
    /// Sorted members of `response_type` (`code`, `id_token`, `token`).
    public var responseTypes: [String]
    /// `query` or `fragment`.
    public var responseMode: String
    public var scopes: [String]
    public var state: String?
    public var nonce: String?
    public var codeChallenge: String?
    public var codeChallengeMethod: String?
    public var prompt: [String]
    public var maxAge: Int?

    public var wantsCode: Bool { responseTypes.contains("code") }
    public var wantsIDToken: Bool { responseTypes.contains("id_token") }
    public var wantsAccessToken: Bool { responseTypes.contains("token") }
}

/// Where an authorize failure goes: shown on an error page when the redirect URI cannot be
/// trusted (unknown client, unregistered URI, oversized input), else sent back to the
/// client's redirect URI as `error=` (RFC 6749 §4.1.2.1).
public enum AuthorizeFailure: Error, Sendable {
    case page(OAuthError)
    case redirect(OAuthError, to: String, state: String?, mode: String)

    public var error: OAuthError {
        switch self {
        case .page(let e), .redirect(let e, _, _, _): e
        }
    }
}
