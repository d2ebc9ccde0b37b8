import Hummingbird
import IdentityCore

/// A flow page's posted form, with what every flow step needs from the request: the flow
/// its `sessionDataKey` names, the CSRF token the page carried, and the browser's binding
/// and session cookies (the engine checks the first two against the flow).
struct FlowForm {
    let body: FormBody
    let flowID: String
    var csrf: String { body["csrf"] ?? "" }
    let browserBinding: String?
    let sessionToken: String?

    subscript(name: String) -> String? { body[name] }

    /// The fields other than the flow's own (`sessionDataKey`, `csrf`).
    var answers: [String: String] { body.fields.filter { $0.key != "sessionDataKey" && $0.key != "csrf" } }

    /// `secureCookies`: the server's base URL is https (the cookies' names, ``ServerCookie``).
    init(_ body: FormBody, of request: Request, secureCookies: Bool) throws(RequestError) {
        guard let flowID = body["sessionDataKey"] else {
            throw RequestError(.requestMissingField, field: "sessionDataKey", detail: "the form carries no sessionDataKey")
        }
        self.body = body
        self.flowID = flowID
        browserBinding = request.cookie(.browser, secure: secureCookies)
        sessionToken = request.cookie(.session, secure: secureCookies)
    }

    static func read(_ request: Request, secureCookies: Bool) async throws -> FlowForm {
        var request = request
        let body = try await FormBody.read(&request)
        return try FlowForm(body, of: request, secureCookies: secureCookies)
    }
}
