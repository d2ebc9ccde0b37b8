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

    init(_ body: FormBody, of request: Request, in runtime: ServerRuntime) throws(RequestError) {
        guard let flowID = body["sessionDataKey"] else {
            throw RequestError(.requestMissingField, field: "sessionDataKey", detail: "the form carries no sessionDataKey")
        }
        self.body = body
        self.flowID = flowID
        browserBinding = runtime.cookie(.browser, of: request)
        sessionToken = runtime.cookie(.session, of: request)
    }

    static func read(_ request: Request, in runtime: ServerRuntime) async throws -> FlowForm {
        var request = request
        let body = try await FormBody.read(&request)
        return try FlowForm(body, of: request, in: runtime)
    }
}
