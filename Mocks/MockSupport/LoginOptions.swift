import Foundation
import SAML

/// The switches of `GET /login` on a mock SP: how the next AuthnRequest is built and sent.
///
///     binding=redirect|post     HTTP binding (default redirect)
///     sign=none|valid|forged    unsigned, signed with the SP's key, or with a key no one trusts
///     acs=URL|default           AssertionConsumerServiceURL (default: none in the request)
///     acsIndex=N                AssertionConsumerServiceIndex
///     forceAuthn=true           ForceAuthn
///     passive=true              IsPassive
///     attributes=true           AttributeConsumingServiceIndex=0 (ask for attributes)
///     relayState=TEXT           RelayState
///     issuer=ENTITY             another Issuer than the profile's (an unknown SP)
///     destination=URL|omit      Destination (default: the IdP's SSO URL)
///     credentials=USER:PASSWORD request-path credentials (AU-4): sent as `sectoken`
///     nameIDFormat=FORMAT       NameIDPolicy Format (a URI or its last segment: persistent, emailAddress…)
///     allowCreate=true|false    NameIDPolicy AllowCreate
///     authnContext=C1,C2        RequestedAuthnContext class refs (URIs or last segments: PasswordProtectedTransport…)
///     comparison=exact|minimum|better|maximum  its Comparison (default exact)
///     attack=NAME               a hostile request (see ``AuthnRequestAttack``): dtd,
///                               billion-laughs, deep, oversized, deflate-bomb (Redirect),
///                               tampered (with sign=valid)
struct LoginOptions {
    enum Signing: String { case none, valid, forged }

    var binding = SAMLBinding.redirect
    var signing = Signing.none
    var acs: String?
    var acsIndex: Int?
    var forceAuthn = false
    var passive = false
    var attributes = false
    var relayState: String?
    var issuer: String?
    var destination: String?
    var omitDestination = false
    var credentials: String?
    var attack: AuthnRequestAttack?
    var nameIDFormat: String?
    var allowCreate: Bool?
    var authnContext: RequestedAuthnContext?

    init(query: [String: String], defaultACS: String) throws {
        var comparison = RequestedAuthnContext.Comparison.exact
        var classes = [String]()
        for (name, value) in query {
            switch name {
            case "binding":
                guard let b = SAMLBinding(shortName: value) else { throw Self.bad(name, value) }
                binding = b
            case "sign":
                guard let s = Signing(rawValue: value) else { throw Self.bad(name, value) }
                signing = s
            case "acs": acs = value == "default" ? defaultACS : value
            case "acsIndex":
                guard let i = Int(value) else { throw Self.bad(name, value) }
                acsIndex = i
            case "forceAuthn": forceAuthn = value == "true"
            case "passive": passive = value == "true"
            case "attributes": attributes = value == "true"
            case "relayState": relayState = value
            case "issuer": issuer = value
            case "destination":
                if value == "omit" { omitDestination = true } else { destination = value }
            case "credentials": credentials = value
            case "nameIDFormat": nameIDFormat = NameIDFormat(nameOrURI: value)?.rawValue ?? value
            case "allowCreate":
                guard ["true", "false"].contains(value) else { throw Self.bad(name, value) }
                allowCreate = value == "true"
            case "authnContext":
                classes = value.split(separator: ",").map { $0.contains(":") ? String($0) : "urn:oasis:names:tc:SAML:2.0:ac:classes:" + $0 }
            case "comparison":
                guard let c = RequestedAuthnContext.Comparison(rawValue: value) else { throw Self.bad(name, value) }
                comparison = c
            case "attack":
                guard let a = AuthnRequestAttack(rawValue: value) else {
                    throw MockError(
                        .mockBadOption, field: name, value: value,
                        detail: "one of \(AuthnRequestAttack.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                attack = a
            default:
                throw MockError(.mockBadOption, field: name, value: value, detail: "unknown login option '\(name)'")
            }
        }
        if !classes.isEmpty { authnContext = RequestedAuthnContext(comparison: comparison, classRefs: classes) }
        if attack == .deflateBomb && binding != .redirect {
            throw MockError(.mockBadOption, field: "attack", value: "deflate-bomb", detail: "a deflate bomb needs binding=redirect")
        }
        if attack == .tampered && signing != .valid {
            throw MockError(.mockBadOption, field: "attack", value: "tampered", detail: "tampering needs a genuine signature: sign=valid")
        }
    }

    static func bad(_ name: String, _ value: String) -> MockError {
        MockError(.mockBadOption, field: name, value: value, detail: "invalid value for \(name)")
    }
}
