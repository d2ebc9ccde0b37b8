public import Foundation

/// What a person does on one of the server's own pages, said without its field names.
public enum PageIntent: Sendable {
    /// Allow (withholding some optional claims) or deny on the consent page.
    case consent(allow: Bool, withhold: [String])
    /// Fill in mandatory claims the account lacks.
    case provide([(String, String)])
    /// Create the account on the just-in-time provisioning prompt (with a chosen
    /// username or password where it asks), or cancel.
    case provision(allow: Bool, fields: [(String, String)])

    /// The kind of page it answers.
    public var pageKind: String {
        switch self {
        case .consent: "consent"
        case .provide: "claims"
        case .provision: "provision"
        }
    }

    public var description: String {
        switch self {
        case .consent(let allow, let withhold):
            (allow ? "allow" : "deny") + " consent" + (withhold.isEmpty ? "" : " withholding " + withhold.joined(separator: ", "))
        case .provide(let claims): "provide " + claims.map(\.0).joined(separator: ", ")
        case .provision(let allow, let fields):
            allow ? "create the account" + (fields.isEmpty ? "" : " [" + fields.map(\.0).joined(separator: ", ") + "]") : "cancel provisioning"
        }
    }
}
