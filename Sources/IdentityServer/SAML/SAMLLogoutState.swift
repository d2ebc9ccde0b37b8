import Foundation
import IdentityCore
import IdentityStorage

/// A single logout being propagated through the browser, one participant after another
/// (SA-10). Kept in storage, keyed by the RelayState sent with each LogoutRequest, so the
/// participant's LogoutResponse may land on any server instance.
struct SAMLLogoutState: StoredRecord, Hashable {
    static let layout = RecordLayout<SAMLLogoutState>(
        table: "saml_logouts", what: "single logout", primary: RecordColumn(name: "id", field: "id", read: { $0.id }))

    var id: String
    var initiator: Initiator
    /// Participants still to be sent a LogoutRequest, in order.
    var pending: [Participant]
    /// The federated IdP the session came from, told last (federated logout).
    var upstream: FederatedLogin?
    /// The LogoutRequest whose answer is awaited.
    var outstanding: Outstanding?
    /// Participants that answered with a failure, or wrongly: the initiator hears
    /// PartialLogout (SAML core §3.7.3.2).
    var failed: [String]
    /// Front-channel logout URLs of the session's OIDC RPs, loaded by the browser with the
    /// last page of the logout.
    var frontChannel: [String]
    var expiresAt: Date

    enum Initiator: Codable, Hashable {
        /// An SP's LogoutRequest, answered with a LogoutResponse at the end.
        case serviceProvider(name: String, requestID: String, relayState: String?)
        /// The server started it (IdP-initiated SLO, or an OIDC RP's logout): the browser
        /// goes to `returnTo`, or to a signed-out page.
        case identityProvider(returnTo: String?)
        /// The federated IdP the session came from sent a LogoutRequest (to `/commonauth`),
        /// answered with a LogoutResponse at the end.
        case federatedIdentityProvider(name: String, requestID: String, relayState: String?)
    }

    /// One SP of the ended session: the NameID its assertions named and every
    /// SessionIndex it holds.
    struct Participant: Codable, Hashable {
        var serviceProvider: String
        var nameID: String
        var nameIDFormat: String?
        var sessionIndexes: [String]
    }

    struct Outstanding: Codable, Hashable {
        /// The SP's name, or the federated IdP's when `upstream`.
        var serviceProvider: String
        var issuer: String
        var requestID: String
        /// Sent to the federated IdP: its answer comes to `/commonauth`.
        var upstream: Bool?
    }

    /// How long a participant may take to answer through the browser.
    static let lifetime: TimeInterval = 300
}
