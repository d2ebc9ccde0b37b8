import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import OIDC

/// The OpenID Provider: discovery, JWKS, authorize, token, userinfo, introspection,
/// revocation, device authorization and RP-initiated logout. Protocol logic lives in the
/// OIDC module; these handlers only translate HTTP to it and back.
struct OIDCRoutes<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime

    func addRoutes(to router: Router<Context>) {
        router.get("/.well-known/openid-configuration") { _, _ in try await discovery() }
        router.get("/oauth2/jwks") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/jwk-set+json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: runtime.signingKeys.jwks.json())))
        }
        router.get("/oauth2/authorize") { request, context in
            try await authorize(FormBody.pairs(request.uri.query ?? ""), request: request, clientAddress: context.clientAddress)
        }
        router.post("/oauth2/authorize") { request, context in
            var request = request
            let body = try await FormBody.collect(&request, limit: FormBody.maximumBytes)
            return try await authorize(FormBody.pairs(String(buffer: body)), request: request, clientAddress: context.clientAddress)
        }
        router.post("/oauth2/token") { request, requestContext in
            try await tokenEndpoint(request, client: requestContext.clientAddress) { context, tokenRequest in
                try OAuthResponses.json(try await TokenEndpoint(context: context).respond(to: tokenRequest))
            }
        }
        router.post("/oauth2/par") { request, _ in
            try await tokenEndpoint(request) { context, tokenRequest in
                var response = try OAuthResponses.json(try await PushedAuthorizationEndpoint(context: context).respond(to: tokenRequest))
                response.status = .created  // RFC 9126 §2.2
                return response
            }
        }
        router.post("/oauth2/introspect") { request, _ in
            try await tokenEndpoint(request) { context, tokenRequest in
                try OAuthResponses.json(try await IntrospectionEndpoint(context: context).respond(to: tokenRequest))
            }
        }
        router.post("/oauth2/revoke") { request, _ in
            try await tokenEndpoint(request) { context, tokenRequest in
                try await RevocationEndpoint(context: context).respond(to: tokenRequest)
                return Response(status: .ok)
            }
        }
        router.post("/oauth2/device_authorize") { request, _ in
            try await tokenEndpoint(request) { context, tokenRequest in
                try OAuthResponses.json(try await DeviceAuthorizationEndpoint(context: context).respond(to: tokenRequest))
            }
        }
        router.get("/oauth2/userinfo") { request, _ in try await userinfo(request) }
        router.post("/oauth2/userinfo") { request, _ in try await userinfo(request) }
    }

    private func discovery() async throws -> Response {
        let scopes = try await runtime.storage.scopes.list()
        let document = DiscoveryDocument(
            issuer: runtime.baseURL.string, scopes: scopes.map(\.name),
            claims: Array(Set(scopes.flatMap(\.claims))).sorted().filter { $0 != "sub" }, signingAlgorithms: runtime.signingKeys.algorithms)
        return try OAuthResponses.json(document)
    }

    /// Validates the request (OA-1…OA-3 and the rest of the pipeline), then starts the
    /// flow. Untrusted redirect URIs get an error page; everything after gets `error=`.
    private func authorize(_ pairs: [(String, String)], request: Request, clientAddress: String?) async throws -> Response {
        let received = AuthorizationRequest(pairs: pairs.map { (name: $0.0, value: $0.1) })
        let client: ServiceProvider? = if let id = received["client_id"], id.utf8.count <= AuthorizationRequest.maximumParameterLength {
            try await runtime.storage.serviceProviders.find(.oidcClientID(id))
        } else {
            nil
        }
        // SP-2 / RFC 9101 / RFC 9126: a signed or pushed request becomes the request. A
        // refusal here is shown, never redirected: the redirect URI it would go to is
        // itself one of the parameters that could not be trusted.
        let authorizationRequest: AuthorizationRequest
        do {
            authorizationRequest = try await RequestObjectResolver(context: runtime.oauth).resolve(received, client: client).request
        } catch {
            runtime.logRefusal(error, of: request)
            return runtime.pages.error(error, status: .badRequest)
        }
        let known = Set(try await runtime.storage.scopes.list().map(\.name))
        let validated: ValidatedAuthorization
        do {
            validated = try AuthorizePipeline().run(authorizationRequest, client: client, knownScopes: known)
        } catch {
            switch error {
            case .page(let error), .redirect(let error, _, _, _): runtime.logRefusal(error, of: request)
            }
            switch error {
            case .page(let error):
                return runtime.pages.error(error, status: .badRequest)
            case .redirect(let error, let uri, let state, let mode):
                return OAuthResponses.redirect(
                    AuthorizationResponder(context: runtime.oauth).failure(error.code, redirectURI: uri, state: state, mode: mode, client: client?.oidc))
            }
        }
        let started = try await runtime.engine.start(
            AuthenticationRequest(
                serviceProvider: validated.serviceProvider, inbound: validated, forceAuthentication: validated.prompt.contains("login"),
                passive: validated.prompt.contains("none"), maximumAuthenticationAge: validated.maxAge.map(TimeInterval.init),
                forceConsent: validated.prompt.contains("consent"),
                requestPathCredentials: AuthenticationRequest.Credentials(basicAuthorizationOf: request, from: clientAddress)),
            browserBinding: runtime.cookie(.browser, of: request))
        return LoginRoutes<Context>.redirectToFlow(started, runtime: runtime)
    }

    /// Form-encoded client requests with JSON answers and OAuth errors.
    private func tokenEndpoint(
        _ request: Request, client: String? = nil, _ handle: (OAuthContext, TokenRequest) async throws -> Response
    ) async throws -> Response {
        var request = request
        let basic = request.usesBasicAuthorization
        do {
            let body = try await FormBody.read(&request)
            // RFC 6749 §3.2: request parameters must not be included more than once.
            if let name = body.repeated.first {
                throw OAuthError(.oauthInvalidRequest, field: name, detail: "\(name) is given more than once")
            }
            return try await handle(
                runtime.oauth, TokenRequest(parameters: body.fields, authorization: request.headers[.authorization], clientAddress: client))
        } catch let error as OAuthError {
            runtime.logRefusal(error, of: request)
            return try OAuthResponses.error(error, basicWasUsed: basic)
        } catch let error as RequestError {
            runtime.logRefusal(error, of: request)
            return try OAuthResponses.error(OAuthError(.oauthInvalidRequest, detail: error.detail))
        }
    }

    private func userinfo(_ request: Request) async throws -> Response {
        do {
            return try OAuthResponses.json(try await UserInfoEndpoint(context: runtime.oauth).respond(authorization: request.headers[.authorization]))
        } catch let error as OAuthError {
            runtime.logRefusal(error, of: request)
            return try OAuthResponses.error(error)
        }
    }
}
