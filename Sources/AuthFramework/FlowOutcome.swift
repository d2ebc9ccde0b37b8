public import IdentityCore

/// What the HTTP layer must do next. The engine knows no HTTP: it names pages and
/// results, and the tokens the browser must keep (as cookies, there).
public struct FlowOutcome: Sendable {
    public enum Action: Sendable {
        /// Show the login form.
        case login(LoginPage)
        /// Ask for the missing mandatory claims (CL-3).
        case claims(ClaimsPage)
        /// Ask for consent (CL-4).
        case consent(ConsentPage)
        /// Send the browser to a federated IdP.
        case federate(FederatedRedirect)
        /// JIT-1: ask for what provisioning needs (username, password, consent).
        case provision(ProvisioningPage)
        /// MF-1: ask for a TOTP code (enrolling a secret first when the account has none).
        case totp(TOTPPage)
        /// An admin set the password: ask for the person's own.
        case changePassword(PasswordChangePage)
        /// FE-4: ask for the password of the account a federated person wants to link.
        case associate(AssociationPage)
        /// The flow completed: build the protocol response.
        case complete(AuthenticationResult)
        /// The flow ended in a refusal (see `AuthError.endsAtServiceProvider`); `flow` says
        /// whom to answer, when there is someone to answer.
        case fail(AuthError, flow: FlowReference?)
    }

    public var action: Action
    /// A new SSO session token the browser must keep (set at login, rotated each time).
    public var newSessionToken: String?
}

/// A flow that has been recorded and now waits for the browser at its page.
public struct FlowStart: Sendable {
    public var flowID: String
    /// A browser-binding token the browser must keep (when it had none).
    public var newBrowserBinding: String?
}

/// What the login page shows. No field reveals whether a username exists (AU-5).
public struct LoginPage: Sendable, Equatable {
    public var flowID: String
    public var csrfToken: String
    public var serviceProvider: String
    /// The generic failure message after a failed attempt, else nil.
    public var error: String?
    public var username: String?
    /// The step offers `basic`: show the username and password form.
    public var passwordForm: Bool = true
    /// The step's other options (identity providers, `totp`), one button each.
    public var options: [Option] = []
    /// AU-7: the client address has used up its failed checks (answered 429).
    public var throttled: Bool = false

    public struct Option: Sendable, Equatable {
        public var name: String
        public var displayName: String
    }

    public static let failureMessage = "Login failed. Check your username and password and try again."
    /// AU-7: about the client address, never about an account.
    public static let throttledMessage = "Too many failed sign-ins from your network. Wait a few minutes and try again."
}

public import Foundation

/// Which SP and protocol a flow answers to.
public struct FlowReference: Sendable {
    public var serviceProvider: String
    public var inboundProtocol: String
    public var inboundContext: Data

    public init(serviceProvider: String, inboundProtocol: String, inboundContext: Data) {
        self.serviceProvider = serviceProvider
        self.inboundProtocol = inboundProtocol
        self.inboundContext = inboundContext
    }
}

/// CL-3: the mandatory claims that have no value, to be filled in.
public struct ClaimsPage: Sendable, Equatable {
    public var flowID: String
    public var csrfToken: String
    public var serviceProvider: String
    /// Exactly the missing mandatory claims, in the SP's mapping order.
    public var claims: [ClaimDefinition]
    /// What the person typed, when the page comes back with errors.
    public var values: [String: String]
    /// Claim URI → what is wrong with its value.
    public var errors: [String: String]
}

/// CL-4: the claims the SP asks for, the mandatory ones marked and not deselectable.
public struct ConsentPage: Sendable, Equatable {
    public struct Claim: Sendable, Equatable {
        public var definition: ClaimDefinition
        public var mandatory: Bool
    }

    public var flowID: String
    public var csrfToken: String
    public var serviceProvider: String
    public var claims: [Claim]

    /// The page's checkbox for a claim is named `consent.<local claim URI>`; a checked box
    /// posts `on`. Errors about a claim name this field, as the person's form does.
    public static let fieldPrefix = "consent."
    public static func fieldName(for claim: String) -> String { fieldPrefix + claim }
}

/// FE-4: the password of the existing account a federated person wants to link.
public struct AssociationPage: Sendable, Equatable {
    public var flowID: String
    public var csrfToken: String
    public var serviceProvider: String
    public var identityProvider: String
    public var username: String?
    public var error: String?
    public var throttled: Bool = false
}

/// JIT-1, JIT-5: what provisioning a federated person needs. The attributes that will be
/// stored are listed; the username field appears in the first mode, or when the derived
/// username is taken (JIT-8); the password fields in the first two modes.
public struct ProvisioningPage: Sendable, Equatable {
    public var flowID: String
    public var csrfToken: String
    public var serviceProvider: String
    public var identityProvider: String
    public var asksUsername: Bool
    public var asksPassword: Bool
    /// FE-4: the page also offers to link an existing account instead.
    public var offersAssociation: Bool
    /// The claims the account will get: display name and value, in mapping order.
    public var attributes: [Attribute]
    public var username: String?
    /// Field → message (`username`, `password`).
    public var errors: [String: String]

    public struct Attribute: Sendable, Equatable {
        public var claim: ClaimDefinition
        public var value: String
    }
}

/// MF-1: a TOTP code is asked; when `enrolment` is set the account has no secret yet and
/// the page shows this one (as text and as an otpauth URI) to add to an app first.
public struct TOTPPage: Sendable, Equatable {
    public var flowID: String
    public var csrfToken: String
    public var serviceProvider: String
    public var enrolment: Enrolment?
    public var error: String?

    public struct Enrolment: Sendable, Equatable {
        public var secret: String
        public var uri: String
    }
}
