/// Every error code the server, the harness and the mocks use, each declared once in the
/// `ErrorCatalogue+<area>.swift` files beside this one. `ErrorCatalogueTests` checks that
/// each is listed here once, documented in docs/ERRORS.md (`harness errors` writes the
/// table) and reached by a test or a scenario.
public enum ErrorCatalogue {
    public static let all: [ErrorCode] =
        request + auth + connector + config + saml + xml + accounts + storage + oauth + jwt + scim + mock + tls

    /// What a person or client is told of a code the catalogue lacks.
    public static let genericMessage = "The request could not be processed."

    private static let byValue: [String: ErrorCode] = Dictionary(all.map { ($0.rawValue, $0) }, uniquingKeysWith: { first, _ in first })

    /// The catalogued code with this value, if any.
    public static func code(_ rawValue: String) -> ErrorCode? { byValue[rawValue] }

    /// The catalogue as a Markdown table (docs/ERRORS.md).
    public static var markdown: String {
        var text = """
            # Error codes

            Every code the reference server, the harness and the mocks answer with, generated from
            the catalogue (`Sources/IdentityCore/Errors`) by `swift run harness errors`. The *message*
            is all a person or client is told; the details of an occurrence go to the log. SAML
            service providers, OAuth clients and SCIM clients hear the refusals that end at them as
            the status, `error` or `scimType` given.

            | code | HTTP | SAML status | OAuth `error` / SCIM `scimType` | message | meaning |
            | --- | --- | --- | --- | --- | --- |

            """
        for code in all {
            let saml = code.samlStatus.map { pair in [pair.top.rawValue, pair.second?.rawValue].compactMap { $0 }.joined(separator: "/") } ?? ""
            let cells = [
                "`\(code.rawValue)`", String(code.status), saml, (code.oauthError ?? code.scimType).map { "`\($0)`" } ?? "", code.message,
                code.summary,
            ].map { $0.replacingOccurrences(of: "|", with: "\\|") }
            text += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return text
    }
}
