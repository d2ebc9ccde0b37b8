import Foundation
import SAML

/// What the SAML inbound side keeps with a flow, to answer it when the flow ends. Server
/// side only: nothing here can be changed by the browser between request and response.
struct SAMLFlowContext: InboundFlowContext {
    static let protocolName = "saml"

    /// The AuthnRequest ID (nil for IdP-initiated SSO).
    var requestID: String?
    /// The SP's entity ID.
    var issuer: String
    var acsURL: String
    var acsReason: ACSChoice.Reason
    var relayState: String?
    /// True when the request asked for the SP's attribute set (CL-9).
    var attributesRequested: Bool
    /// The request's NameIDPolicy (Format, AllowCreate), when it had one.
    var nameIDFormat: String? = nil
    var allowCreate: Bool? = nil
}
