import AsyncHTTPClient
import OutboundHTTP
import Foundation
import Hummingbird
import IdentityCore
import NIOCore
import OIDC
import XMLSecurity

/// A login started at the debugger, waiting for its callback.
struct DebuggerSession: Sendable {
    var tokenEndpoint: String
    var userinfoEndpoint: String?
    var clientID: String
    var clientSecret: String
    var redirectURI: String
    var codeVerifier: String
    /// Ten minutes after the start: a login not back by then is forgotten.
    var expiresAt: Date
    /// What happened so far, shown on the result page.
    var log: [DebuggerExchange]
}

/// One request and its answer, as the debugger page shows it.
struct DebuggerExchange: Sendable {
    var title: String
    var request: String
    var response: String
}

/// `/_mock/debugger`: an OpenID Connect client in a page, for a developer by hand and a
/// real-browser test. It starts a code flow with PKCE at this mock or at any discovery
/// URL, exchanges the code, calls userinfo, and shows each request and answer with the
/// tokens decoded (by the page's own script, so the browser does the decoding a person
/// sees). Its redirect URI is `<base>/_mock/debugger/callback`: the generic kind with no
/// clients takes it as is; elsewhere register it for the client.
extension MockIdentityProvider {
    func addDebuggerRoutes(to router: Router<BasicRequestContext>) {
        router.get("/_mock/debugger") { _, _ in self.debuggerForm() }
        // The form POSTs (a client secret stays out of history and logs); a GET with the
        // same parameters starts it from a link or a script.
        router.post("/_mock/debugger/start") { request, _ in try await self.debuggerStart(try await MockHTTP.form(request)) }
        router.get("/_mock/debugger/start") { request, _ in try await self.debuggerStart(MockHTTP.query(request)) }
        router.get("/_mock/debugger/callback") { request, _ in try await self.debuggerCallback(MockHTTP.query(request)) }
    }

    /// This mock's own discovery document, the form's default (none for the kinds without).
    var ownDiscoveryURL: String {
        endpoints.discovery.map { endpointURL($0) } ?? ""
    }

    func debuggerForm() -> Response {
        let client = profile.clients.first
        func input(_ name: String, _ label: String, _ value: String) -> String {
            "<p><label>\(label) <input name=\"\(name)\" size=\"70\" value=\"\(MarkupEscaping.attribute(value))\"></label></p>"
        }
        return MockHTTP.page(
            "mock-debugger", title: "mock IdP debugger",
            """
            <h1>OpenID Connect debugger</h1>
            <p>Starts a code flow (PKCE S256) at the discovery URL below and shows every request and answer.
            Redirect URI: <code>\(MarkupEscaping.attribute(baseURL))/_mock/debugger/callback</code></p>
            <form method="post" action="/_mock/debugger/start">
            \(input("discovery", "discovery URL", ownDiscoveryURL))
            \(input("client_id", "client ID", client?.clientID ?? "debugger"))
            \(input("client_secret", "client secret", ""))
            \(input("scope", "scope", "openid profile email"))
            \(input("login_hint", "login_hint (optional)", ""))
            <p><button type="submit">Start</button></p>
            </form>
            \(Self.decoderTool)
            """)
    }

    /// Reads the discovery document, keeps the session under its `state`, and sends the
    /// browser to the authorization endpoint.
    func debuggerStart(_ query: [String: String]) async throws -> Response {
        guard let discovery = query["discovery"], let url = URLComponents(string: discovery), ["http", "https"].contains(url.scheme ?? "") else {
            return Self.errorPage("discovery must be an http(s) URL")
        }
        guard let clientID = query["client_id"], !clientID.isEmpty else { return Self.errorPage("client_id is required") }
        let (status, body) = try await debuggerFetch(HTTPClientRequest(url: discovery))
        guard status == 200, let document = try? JSONDecoder().decode([String: ClaimValue].self, from: Data(body.utf8)),
            let authorize = document["authorization_endpoint"]?.string, let token = document["token_endpoint"]?.string
        else {
            return Self.errorPage("\(discovery) answered \(status) without authorization_endpoint and token_endpoint")
        }
        // Only http(s) endpoints are followed: a hostile document naming another scheme
        // (http+unix:// reaches a local socket) is refused.
        let userinfo = document["userinfo_endpoint"]?.string
        guard [authorize, token].allSatisfy(Self.isHTTP), userinfo.map(Self.isHTTP) ?? true else {
            return Self.errorPage("\(discovery) names an endpoint that is not an http(s) URL")
        }
        let key = random.token()
        let verifier = random.token()
        let redirectURI = baseURL + "/_mock/debugger/callback"
        var parameters = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("scope", query["scope"] ?? "openid"),
            ("state", key), ("nonce", random.token()), ("code_challenge", PKCE.s256(verifier)), ("code_challenge_method", "S256"),
        ]
        if let hint = query["login_hint"], !hint.isEmpty { parameters.append(("login_hint", hint)) }
        let location = authorize + (authorize.contains("?") ? "&" : "?") + URLEncoding.query(parameters)
        let session = DebuggerSession(
            tokenEndpoint: token, userinfoEndpoint: userinfo, clientID: clientID,
            clientSecret: query["client_secret"] ?? "", redirectURI: redirectURI, codeVerifier: verifier,
            expiresAt: clock.now.addingTimeInterval(600),
            log: [
                DebuggerExchange(title: "Discovery", request: "GET \(discovery)", response: "\(status)\n\(Self.pretty(body))"),
                DebuggerExchange(title: "Authorization request", request: "GET \(location)", response: ""),
            ])
        state.withLock { state in
            Self.remember(session, as: key, in: &state.debuggerSessions, order: &state.debuggerOrder)
            // A debugger is used by a person at a time: a hundred logins under way is plenty.
            while state.debuggerOrder.count > 100 { state.debuggerSessions.removeValue(forKey: state.debuggerOrder.removeFirst()) }
        }
        return Response(status: .found, headers: [.location: location])
    }

    /// Exchanges the code, calls userinfo, and shows the whole exchange.
    func debuggerCallback(_ query: [String: String]) async throws -> Response {
        guard let key = query["state"], var session = state.withLock({ $0.debuggerSessions.removeValue(forKey: key) }), session.expiresAt > clock.now
        else {
            return Self.errorPage("unknown, finished or expired debugger session (state)")
        }
        let callback = URLEncoding.query(query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        session.log[session.log.count - 1].response = "302 → \(session.redirectURI)?\(callback)"
        var tokens: [String: String] = [:]
        if let code = query["code"] {
            var request = HTTPClientRequest(url: session.tokenEndpoint)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            var form = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", session.redirectURI), ("code_verifier", session.codeVerifier),
            ]
            if session.clientSecret.isEmpty {
                form.append(("client_id", session.clientID))
            } else {
                let credentials = URLEncoding.encode(session.clientID) + ":" + URLEncoding.encode(session.clientSecret)
                request.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
            }
            request.body = .bytes(ByteBuffer(string: URLEncoding.query(form)))
            let (status, body) = try await debuggerFetch(request)
            let shown = form.map { $0.0 == "code_verifier" ? ($0.0, "…") : $0 }
            session.log.append(DebuggerExchange(
                title: "Token request", request: "POST \(session.tokenEndpoint)\n\(session.clientSecret.isEmpty ? "" : "Authorization: Basic …\n")"
                    + URLEncoding.query(shown), response: "\(status)\n\(Self.pretty(body))"))
            let answer = (try? JSONDecoder().decode([String: ClaimValue].self, from: Data(body.utf8))) ?? [:]
            for name in ["id_token", "access_token", "refresh_token"] { tokens[name] = answer[name]?.string }
            if let userinfo = session.userinfoEndpoint, let access = tokens["access_token"] {
                var request = HTTPClientRequest(url: userinfo)
                request.headers.add(name: "Authorization", value: "Bearer " + access)
                let (status, body) = try await debuggerFetch(request)
                session.log.append(DebuggerExchange(title: "Userinfo", request: "GET \(userinfo)\nAuthorization: Bearer …", response: "\(status)\n\(Self.pretty(body))"))
            }
        }
        let outcome = query["error"].map { "error: \($0)" } ?? (tokens["access_token"] == nil ? "no tokens" : "tokens")
        return debuggerResult(session.log, tokens: tokens, outcome: outcome)
    }

    /// One request of the debugger's. A URL of this mock's own public address goes to where
    /// it listens (behind a published container port the public one may not reach back).
    /// At most 64 KiB of an answer is read: the page shows it, nothing more.
    func debuggerFetch(_ request: HTTPClientRequest) async throws -> (Int, String) {
        var request = request
        if address.listening != baseURL, request.url.hasPrefix(baseURL + "/") {
            request.url = address.listening + request.url.dropFirst(baseURL.count)
        }
        do {
            let response = try await outboundClient.execute(request, timeout: .seconds(15))
            var body = try await response.body.collect(upTo: 1 << 20)
            let shown = body.readString(length: min(body.readableBytes, 64 * 1024)) ?? ""
            return (Int(response.status.code), shown)
        } catch {
            return (0, "no answer: \(OutboundHTTP.tlsFailure(in: error, url: request.url).map { "\($0)" } ?? "\(error)")")
        }
    }

    static func isHTTP(_ url: String) -> Bool {
        guard let scheme = URLComponents(string: url)?.scheme?.lowercased() else { return false }
        return scheme == "http" || scheme == "https"
    }

    func debuggerResult(_ log: [DebuggerExchange], tokens: [String: String], outcome: String) -> Response {
        let exchanges = log.map { exchange in
            """
            <section><h2>\(MarkupEscaping.attribute(exchange.title))</h2>
            <pre class="request">\(MarkupEscaping.attribute(exchange.request))</pre>
            \(exchange.response.isEmpty ? "" : "<pre class=\"response\">\(MarkupEscaping.attribute(exchange.response))</pre>")</section>
            """
        }.joined()
        let decoded = ["id_token", "access_token"].compactMap { name in
            tokens[name].map { token in
                "<section><h2>\(name)</h2><pre class=\"jwt\" data-jwt=\"\(MarkupEscaping.attribute(token))\" data-name=\"\(name)\"></pre></section>"
            }
        }.joined()
        return MockHTTP.page(
            "mock-debugger-result", title: "mock IdP debugger",
            """
            <h1>Debugger: <span data-observe="outcome">\(MarkupEscaping.attribute(outcome))</span></h1>
            \(exchanges)\(decoded)
            <p><a href="/_mock/debugger">Again</a></p>
            \(Self.decoderTool)
            """)
    }

    /// JSON pretty-printed when it is JSON, else the text as it came.
    static func pretty(_ text: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }

    /// The page's script: decodes every `data-jwt` element's token (header and claims) in
    /// place, and a paste box for any other JWT. It only reads; nothing is verified here.
    static let decoderTool = """
        <section><h2>Decode a JWT</h2><textarea id="paste" rows="4" cols="80" aria-label="JWT"></textarea><pre id="pasted"></pre></section>
        <script>
        function decodePart(part) {
          const text = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
          return JSON.parse(decodeURIComponent(Array.from(text, c => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join("")));
        }
        function decodeJWT(token) {
          const parts = token.trim().split(".");
          if (parts.length !== 3) return "not a JWT (" + parts.length + " parts)";
          try {
            return JSON.stringify({ header: decodePart(parts[0]), claims: decodePart(parts[1]) }, null, 2);
          } catch (e) { return "not a JWT: " + e.message; }
        }
        for (const element of document.querySelectorAll("[data-jwt]")) {
          element.textContent = decodeJWT(element.dataset.jwt);
          element.dataset.decoded = "true";
        }
        document.getElementById("paste").addEventListener("input", e => {
          document.getElementById("pasted").textContent = decodeJWT(e.target.value);
        });
        document.body.dataset.debugger = "ready";
        </script>
        """
}
