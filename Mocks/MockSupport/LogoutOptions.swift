import Foundation
import SAML

/// The switches of `GET /logout` on a mock SP: the LogoutRequest it sends the IdP for
/// the person it last signed in (their NameID and SessionIndex), and how.
///
///     binding=redirect|post     HTTP binding (default redirect)
///     sign=valid|none|forged    signed with the SP's key (default), unsigned, or with a key no one trusts
///     nameID=VALUE              another NameID than the login's (someone else)
///     sessionIndex=VALUE|omit   another SessionIndex, or none at all
///     destination=URL|omit      Destination (default: the IdP's SLO URL)
///     relayState=TEXT           RelayState
///     replay=true               the previous LogoutRequest again, same ID
struct LogoutOptions {
    var binding = SAMLBinding.redirect
    var signing = LoginOptions.Signing.valid
    var nameID: String?
    var sessionIndex: String?
    var omitSessionIndex = false
    var destination: String?
    var omitDestination = false
    var relayState: String?
    var replay = false

    init(query: [String: String]) throws {
        for (name, value) in query {
            switch name {
            case "binding":
                guard let b = SAMLBinding(shortName: value) else { throw LoginOptions.bad(name, value) }
                binding = b
            case "sign":
                guard let s = LoginOptions.Signing(rawValue: value) else { throw LoginOptions.bad(name, value) }
                signing = s
            case "nameID": nameID = value
            case "sessionIndex":
                if value == "omit" { omitSessionIndex = true } else { sessionIndex = value }
            case "destination":
                if value == "omit" { omitDestination = true } else { destination = value }
            case "relayState": relayState = value
            case "replay": replay = value == "true"
            default:
                throw MockError(.mockBadOption, field: name, value: value, detail: "not a /logout option")
            }
        }
    }
}
