import AuthFramework
import Hummingbird
import IdentityCore
import Mustache
import XMLSecurity

/// Renders the server's HTML pages.
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    init() {
        library = Self.parsed
    }

    /// Parsed once per process: the templates are constants, and parsing them was a
    /// twentieth of the bundled suite's time, which starts a server per scenario.
    private static let parsed: MustacheLibrary = {
        var library = MustacheLibrary()
        // The templates are compile-time constants; a parse failure is a programming error.
        try! library.register(Templates.login, named: "login")
        try! library.register(Templates.error, named: "error")
        try! library.register(Templates.device, named: "device")
        try! library.register(Templates.message, named: "message")
        try! library.register(Templates.logout, named: "logout")
        try! library.register(Templates.claims, named: "claims")
        try! library.register(Templates.consent, named: "consent")
        try! library.register(Templates.provision, named: "provision")
        try! library.register(Templates.totp, named: "totp")
        try! library.register(Templates.repost, named: "repost")
        try! library.register(Templates.associate, named: "associate")
        try! library.register(Templates.changePassword, named: "changePassword")
        return library
    }()

    func login(_ page: LoginPage) -> Response {
        var context: [String: Any] = [
            "page": "login", "title": "Sign in", "serviceProvider": page.serviceProvider, "flowID": page.flowID,
            "csrfToken": page.csrfToken, "action": "/commonauth", "username": page.username ?? "",
        ]
        // Absent keys, not nil values: a Mustache section treats a boxed nil as present.
        if let error = page.error { context["error"] = error }
        if page.passwordForm { context["passwordForm"] = true }
        if !page.options.isEmpty {
            context["hasOptions"] = true
            context["options"] = page.options.map { ["name": MarkupEscaping.attribute($0.name), "display": MarkupEscaping.attribute($0.displayName)] }
        }
        return html(render("login", context), status: page.throttled ? .tooManyRequests : .ok)
    }

    /// FE-4: the existing account's credentials, to link it.
    func associate(_ page: AssociationPage) -> Response {
        var context: [String: Any] = [
            "page": "associate", "title": "Link your account", "serviceProvider": page.serviceProvider, "identityProvider": page.identityProvider,
            "flowID": page.flowID, "csrfToken": page.csrfToken, "username": page.username ?? "",
        ]
        if let error = page.error { context["error"] = error }
        return html(render("associate", context), status: page.throttled ? .tooManyRequests : .ok)
    }

    /// The person replaces a password an admin set.
    func changePassword(_ page: PasswordChangePage) -> Response {
        var context: [String: Any] = [
            "page": "change-password", "title": "Choose a new password", "serviceProvider": page.serviceProvider, "flowID": page.flowID,
            "csrfToken": page.csrfToken,
        ]
        if let error = page.error { context["error"] = error }
        return html(render("changePassword", context), status: page.error == nil ? .ok : .badRequest)
    }

    /// JIT-1: the provisioning page.
    func provision(_ page: ProvisioningPage) -> Response {
        var context: [String: Any] = [
            "page": "provision", "title": "Create your account", "serviceProvider": page.serviceProvider, "flowID": page.flowID,
            "csrfToken": page.csrfToken, "identityProvider": page.identityProvider, "username": page.username ?? "",
            "attributes": page.attributes.map {
                ["uri": MarkupEscaping.attribute($0.claim.uri), "display": MarkupEscaping.attribute($0.claim.displayName), "value": MarkupEscaping.attribute($0.value)]
            },
        ]
        if page.asksUsername { context["asksUsername"] = true }
        if page.asksPassword { context["asksPassword"] = true }
        if page.offersAssociation { context["offersAssociation"] = true }
        if let error = page.errors["username"] { context["usernameError"] = error }
        if let error = page.errors["password"] { context["passwordError"] = error }
        return html(render("provision", context), status: page.errors.isEmpty ? .ok : .badRequest)
    }

    /// MF-1: the TOTP page.
    func totp(_ page: TOTPPage) -> Response {
        var context: [String: Any] = [
            "page": "totp", "title": "Enter your code", "serviceProvider": page.serviceProvider, "flowID": page.flowID, "csrfToken": page.csrfToken,
        ]
        if let enrolment = page.enrolment {
            context["enrolment"] = ["secret": MarkupEscaping.attribute(enrolment.secret), "uri": MarkupEscaping.attribute(enrolment.uri)]
        }
        if let error = page.error { context["error"] = error }
        return html(render("totp", context), status: page.error == nil ? .ok : .badRequest)
    }

    /// The same-origin re-post of a cross-site SAML answer.
    func repost(_ fields: [(String, String)]) -> Response {
        html(
            render(
                "repost",
                ["page": "repost", "title": "Signing you in", "fields": fields.map { ["name": MarkupEscaping.attribute($0.0), "value": MarkupEscaping.attribute($0.1)] }]),
            status: .ok)
    }

    /// CL-3: the missing mandatory claims, each with the input its type calls for.
    func claims(_ page: ClaimsPage) -> Response {
        let claims: [[String: Any]] = page.claims.enumerated().map { index, claim in
            var entry: [String: Any] = [
                "id": "claim\(index)", "uri": MarkupEscaping.attribute(claim.uri), "display": MarkupEscaping.attribute(claim.displayName),
                "inputType": Self.inputType(claim.type), "value": MarkupEscaping.attribute(page.values[claim.uri] ?? ""),
            ]
            if let error = page.errors[claim.uri] { entry["error"] = MarkupEscaping.attribute(error) }
            return entry
        }
        return html(
            render(
                "claims",
                ["page": "claims", "title": "More information needed", "serviceProvider": page.serviceProvider, "flowID": page.flowID,
                 "csrfToken": page.csrfToken, "claims": claims]),
            status: page.errors.isEmpty ? .ok : .badRequest)
    }

    /// CL-4: the claims asked for, mandatory ones marked `*` and not deselectable.
    func consent(_ page: ConsentPage) -> Response {
        let claims: [[String: Any]] = page.claims.map { claim in
            var entry: [String: Any] = ["uri": MarkupEscaping.attribute(claim.definition.uri), "display": MarkupEscaping.attribute(claim.definition.displayName)]
            if claim.mandatory { entry["mandatory"] = true }
            return entry
        }
        return html(
            render(
                "consent",
                ["page": "consent", "title": "Share your information?", "serviceProvider": page.serviceProvider, "flowID": page.flowID,
                 "csrfToken": page.csrfToken, "claims": claims]),
            status: .ok)
    }

    static func inputType(_ type: ClaimType) -> String {
        switch type {
        case .email: "email"
        case .phone: "tel"
        case .date: "date"
        case .url: "url"
        case .text, .country: "text"
        }
    }

    /// The device flow's code entry page (RFC 8628 §3.3).
    func device(userCode: String, csrfToken: String, error: String?) -> Response {
        var context: [String: Any] = ["page": "device", "title": "Connect a device", "userCode": userCode, "csrfToken": csrfToken]
        if let error { context["error"] = error }
        return html(render("device", context), status: error == nil ? .ok : .badRequest)
    }

    /// RP-initiated logout without proof of the RP (no valid id_token_hint): the person
    /// confirms, so another site cannot sign them out with a bare link.
    func logoutConfirmation(client: String, csrfToken: String, fields: [(String, String)]) -> Response {
        let hidden = fields.map { ["name": MarkupEscaping.attribute($0.0), "value": MarkupEscaping.attribute($0.1)] }
        return html(render("logout", ["page": "logout-confirm", "title": "Sign out", "client": client, "csrfToken": csrfToken, "fields": hidden]), status: .ok)
    }

    /// A page that only says something (`device-approved`, `signed-out`).
    func message(page: String, title: String, message: String) -> Response {
        html(render("message", ["page": page, "title": title, "message": message]), status: .ok)
    }

    /// An error page naming the stable code and, when known, the request field and value.
    func error(_ error: any CodedError, status: HTTPResponse.Status) -> Response {
        var context: [String: Any] = [
            "page": "error", "title": Self.title(for: error.code), "message": Self.message(for: error.code), "code": error.code.rawValue,
        ]
        if let field = error.field { context["field"] = field }
        if let value = error.value { context["value"] = value }
        return html(render("error", context), status: status)
    }

    func html(_ body: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// Renders with every string value escaped for HTML text and attributes alike.
    private func render(_ name: String, _ context: [String: Any]) -> String {
        let escaped = context.mapValues { value -> Any in
            (value as? String).map(MarkupEscaping.attribute) ?? value
        }
        return library.render(escaped, withTemplate: name) ?? ""
    }

    static func title(for code: ErrorCode) -> String {
        switch code.rawValue.split(separator: ".").first {
        case "saml", "xml", "xmldsig": "The application's sign-in request was refused"
        case "auth": "Sign-in could not continue"
        default: "Something went wrong"
        }
    }

    /// The catalogue's public message: generic words for a person; the code says
    /// precisely what happened.
    static func message(for code: ErrorCode) -> String {
        code.message
    }
}
