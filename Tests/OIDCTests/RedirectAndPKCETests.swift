import Foundation
import IdentityCore
import Testing
@testable import OIDC

@Suite struct RedirectURIMatcherTests {
    @Test func exactRegistrationsMatchOnlyThemselves() {
        let registered = ["https://app.example/cb"]
        #expect(RedirectURIMatcher.matches("https://app.example/cb", registered: registered))
        for near in ["https://app.example/cb/", "https://app.example/cb?x=1", "https://APP.example/cb", "https://app.example/cb#f", "http://app.example/cb"] {
            #expect(!RedirectURIMatcher.matches(near, registered: registered), "\(near) matched")
        }
    }

    @Test func aRegexpMustMatchTheWholeURI() {
        let registered = [#"regexp=https://app\.example/cb/(a|b)"#]
        #expect(RedirectURIMatcher.matches("https://app.example/cb/a", registered: registered))
        #expect(!RedirectURIMatcher.matches("https://app.example/cb/ab", registered: registered))
        #expect(!RedirectURIMatcher.matches("https://app.example/cb/a.evil.example", registered: registered))
        #expect(!RedirectURIMatcher.matches("https://evil.example/?https://app.example/cb/a", registered: registered))
        // `$` would match before a final line break; the match must end at the very end.
        #expect(!RedirectURIMatcher.matches("https://app.example/cb/a\n", registered: registered))
        // A pattern broad enough to take a fragment still never sends a code to one.
        #expect(!RedirectURIMatcher.matches("https://app.example/cb#a", registered: [#"regexp=https://app\.example/cb.*"#]))
    }

    @Test func registrationsAreValidatedAtConfigurationTime() {
        #expect(RedirectURIMatcher.isValidRegistration("https://app.example/cb"))
        #expect(RedirectURIMatcher.isValidRegistration("com.example.app:/oauth"))
        #expect(!RedirectURIMatcher.isValidRegistration("/relative/cb"))
        #expect(!RedirectURIMatcher.isValidRegistration("https://app.example/cb#fragment"))
        #expect(!RedirectURIMatcher.isValidRegistration("regexp=https://app.example/(unclosed"))
    }

    @Test func plainHTTPRedirectURIsAreRegisteredOnlyForLoopbackHosts() {
        for loopback in ["http://127.0.0.1:8082/callback", "http://localhost/cb", "http://[::1]:9000/cb", "http://127.1.2.3/cb"] {
            #expect(RedirectURIMatcher.registrationProblem(loopback) == nil, "\(loopback) refused")
        }
        for network in ["http://app.example/cb", "HTTP://app.example/cb", "http://127.0.0.1.evil.example/cb", "http://localhost.evil/cb", "http://10.0.0.1/cb"] {
            #expect(RedirectURIMatcher.registrationProblem(network)?.contains("loopback") == true, "\(network) accepted")
        }
        // A pattern cannot open what a registration may not name.
        let pattern = [#"regexp=https?://app\.example/cb"#]
        #expect(RedirectURIMatcher.matches("https://app.example/cb", registered: pattern))
        #expect(!RedirectURIMatcher.matches("http://app.example/cb", registered: pattern))
        #expect(RedirectURIMatcher.matches("http://127.0.0.1/cb", registered: [#"regexp=http://127\.0\.0\.1/cb"#]))
        // Even a pattern matching anything only matches URIs: not a relative "regexp=…" value.
        #expect(!RedirectURIMatcher.matches("regexp=https://evil.example", registered: ["regexp=.*"]))
        #expect(!RedirectURIMatcher.matches("/relative", registered: ["regexp=.*"]))
        #expect(RedirectURIMatcher.registrationProblem("http://127.0..1/cb") != nil)
    }

    @Test func cachedRegexpPatternsKeepTheirOwnMeaningPastTheCachesCapacity() {
        // More patterns than the cache holds, each asked twice in an interleaved order: a
        // pattern answered from another's entry, or a broken eviction, shows as a wrong match.
        let patterns = (0..<600).map { [#"regexp=https://app\.example/cb/"# + String($0) + "/[a-z]+"] }
        for round in 0..<2 {
            for (index, registered) in patterns.enumerated() {
                #expect(RedirectURIMatcher.matches("https://app.example/cb/\(index)/abc", registered: registered), "\(index) round \(round)")
                #expect(!RedirectURIMatcher.matches("https://app.example/cb/\(index + 1)/abc", registered: registered), "\(index) round \(round)")
                #expect(!RedirectURIMatcher.matches("https://app.example/cb/\(index)/ab1", registered: registered), "\(index) round \(round)")
            }
        }
    }
}

@Suite struct PKCETests {
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

    @Test func theRFC7636ExampleVerifies() {
        #expect(PKCE.s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verify(verifier: verifier, challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", method: "S256"))
        #expect(!PKCE.verify(verifier: verifier + "x", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", method: "S256"))
        #expect(!PKCE.verify(verifier: "short", challenge: "short", method: "plain"))
    }

    func settings(mandatory: Bool = false, plain: Bool = false, method: ClientAuthenticationMethod = .clientSecretBasic) -> OIDCSettings {
        OIDCSettings(clientID: "c", callbackURLs: ["https://a/cb"], pkceMandatory: mandatory, pkceAllowPlain: plain, tokenEndpointAuthMethod: method)
    }

    @Test func challengeRulesFollowTheClientSettings() throws {
        let challenge = PKCE.s256(verifier)
        #expect(try PKCE.challenge(nil, method: nil, settings: settings()) == nil)
        #expect(throws: OAuthError(.oauthInvalidRequest, detail: "")) { try PKCE.challenge(nil, method: nil, settings: settings(mandatory: true)) }
        #expect(throws: OAuthError(.oauthInvalidRequest, detail: "")) { try PKCE.challenge(nil, method: nil, settings: settings(method: .none)) }
        #expect(throws: OAuthError(.oauthInvalidRequest, detail: "")) { try PKCE.challenge(verifier, method: "plain", settings: settings()) }
        #expect(try PKCE.challenge(verifier, method: "plain", settings: settings(plain: true))?.method == "plain")
        #expect(try PKCE.challenge(challenge, method: "S256", settings: settings())?.challenge == challenge)
        #expect(throws: OAuthError(.oauthInvalidRequest, detail: "")) { try PKCE.challenge(challenge, method: "S512", settings: settings()) }
        #expect(throws: OAuthError(.oauthInvalidRequest, detail: "")) { try PKCE.challenge("too-short", method: "S256", settings: settings()) }
        // A missing method means plain (RFC 7636 §4.3), so it is refused without plain.
        #expect(throws: OAuthError(.oauthInvalidRequest, detail: "")) { try PKCE.challenge(challenge, method: nil, settings: settings()) }
    }
}

@Suite struct AuthorizePipelineTests {
    let client = ServiceProvider(name: "app", sections: [OIDCSettings(clientID: "app-client", callbackURLs: ["https://app.example/cb"])])
    let scopes: Set<String> = ["openid", "email"]

    func run(_ parameters: [String: String], client: ServiceProvider? = nil) -> Result<ValidatedAuthorization, AuthorizeFailure> {
        Result { () throws(AuthorizeFailure) in
            try AuthorizePipeline().run(AuthorizationRequest(parameters: parameters), client: client ?? self.client, knownScopes: scopes)
        }
    }

    var valid: [String: String] {
        ["client_id": "app-client", "redirect_uri": "https://app.example/cb", "response_type": "code", "scope": "openid email unknown", "state": "s"]
    }

    @Test func aValidRequestKeepsKnownScopesInOrder() throws {
        let validated = try run(valid).get()
        #expect(validated.scopes == ["openid", "email"])
        #expect(validated.responseMode == "query")
    }

    @Test func failuresBeforeTheRedirectURIIsTrustedArePages() {
        var bad = valid
        bad["redirect_uri"] = "https://evil.example/cb"
        guard case .failure(.page(let error)) = run(bad) else { Issue.record("expected a page"); return }
        #expect(error.code == .oauthRedirectURIMismatch)
        guard case .failure(.page(let unknown)) = Result(catching: { () throws(AuthorizeFailure) in
            try AuthorizePipeline().run(AuthorizationRequest(parameters: valid), client: nil, knownScopes: scopes)
        }) else { Issue.record("expected a page"); return }
        #expect(unknown.code == .oauthUnknownClient)
        var long = valid
        long["state"] = String(repeating: "x", count: 3000)
        guard case .failure(.page(let tooLong)) = run(long) else { Issue.record("expected a page"); return }
        #expect(tooLong.code == .oauthInvalidRequest)
    }

    @Test func failuresAfterThatAreRedirectedWithState() {
        var bad = valid
        bad["response_type"] = "code token"
        guard case .failure(.redirect(let error, let uri, let state, let mode)) = run(bad) else { Issue.record("expected a redirect"); return }
        #expect(error.code == .oauthUnauthorizedClient)
        #expect(uri == "https://app.example/cb")
        #expect(state == "s")
        #expect(mode == "fragment")
    }

    @Test func repeatedParametersAreRefused() {
        let request = AuthorizationRequest(pairs: [("client_id", "app-client"), ("client_id", "other")])
        guard case .failure(.page(let error)) = Result(catching: { () throws(AuthorizeFailure) in
            try AuthorizePipeline().run(request, client: client, knownScopes: scopes)
        }) else { Issue.record("expected a page"); return }
        #expect(error.field == "client_id")
    }
}

extension Result where Failure == AuthorizeFailure {
    init(catching body: () throws(AuthorizeFailure) -> Success) {
        do { self = .success(try body()) } catch { self = .failure(error) }
    }
}
