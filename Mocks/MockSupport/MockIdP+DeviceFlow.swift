import Foundation
import Hummingbird
import IdentityCore
import OIDC
import XMLSecurity

/// A device authorization grant at the generic provider (RFC 8628), between the device's
/// request and its last poll.
struct DeviceGrant: Sendable {
    var issuer: String
    var clientID: String
    var scope: String
    var userCode: String
    var expiresAt: Date
    /// The device authorization request's parameters, for the request mappings.
    var parameters: [String: String]
    var decision: Decision = .pending

    enum Decision: Sendable {
        case pending
        case approved(username: String, extraClaims: [String: ClaimValue])
        case denied
    }
}

/// The device grant (RFC 8628) on the generic kind: `POST <issuer>/device_authorization`
/// gives a device code and a user code; the person opens `<issuer>/device`, types the code
/// (or follows `verification_uri_complete`) and signs in on the usual login page — or
/// `autoLogin` approves at once; the device polls the token endpoint until then. Polling
/// faster than `interval` is not answered `slow_down` (§3.5 lets a server choose): a
/// mock is polled by tests, which should not have to wait.
extension MockIdentityProvider {
    /// How long a device code lives, and how often a device should poll (RFC 8628 §3.2).
    static let deviceCodeSeconds = 600
    static let devicePollSeconds = 5

    func addDeviceRoutes(to router: Router<BasicRequestContext>) {
        router.post(":issuer/device_authorization") { request, context in
            let form = try await MockHTTP.form(request)
            return try await self.backChannel { try self.deviceAuthorization(request, form: form, issuer: self.issuer(context)) }
        }
        router.get(":issuer/device") { request, context in try await self.deviceVerification(MockHTTP.query(request), issuer: self.issuer(context)) }
    }

    /// RFC 8628 §3.1–3.2.
    func deviceAuthorization(_ request: Request, form: [String: String], issuer: String) throws -> Response {
        var observation = IdPObservation(action: "device_authorization")
        let (authenticated, method) = authenticateClient(request, form: form)
        observation.clientAuthentication = method
        observation.scope = form["scope"]
        guard let client = authenticated else {
            return tokenError(observation, status: .unauthorized, "invalid_client", "client authentication failed")
        }
        observation.clientID = client.clientID
        let deviceCode = random.token()
        let userCode = makeUserCode()
        let grant = DeviceGrant(
            issuer: issuer, clientID: client.clientID, scope: form["scope"] ?? "openid", userCode: userCode,
            expiresAt: clock.now.addingTimeInterval(TimeInterval(Self.deviceCodeSeconds)), parameters: form)
        state.withLock { state in Self.remember(grant, as: deviceCode, in: &state.devices, order: &state.deviceOrder) }
        observation.status = 200
        record(observation)
        let verification = "\(issuer)/device"
        return try MockHTTP.json([
            "device_code": ClaimValue.string(deviceCode), "user_code": .string(userCode), "verification_uri": .string(verification),
            "verification_uri_complete": .string(verification + "?user_code=" + userCode), "expires_in": .number(Self.deviceCodeSeconds),
            "interval": .number(Self.devicePollSeconds),
        ])
    }

    /// Eight letters from an alphabet without vowels or look-alikes, as `BCDF-GHJK`
    /// (RFC 8628 §6.1): easy to type, no words spelled by accident.
    func makeUserCode() -> String {
        let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")
        let letters = random.bytes(8).map { alphabet[Int($0) % alphabet.count] }
        return String(letters[0..<4]) + "-" + String(letters[4...])
    }

    /// The verification page: a form for the user code, then the login page for it.
    func deviceVerification(_ query: [String: String], issuer: String) async throws -> Response {
        guard let typed = query["user_code"], !typed.isEmpty else {
            return MockHTTP.page(
                "idp-device", title: "mock IdP",
                """
                <h1>Connect a device</h1>
                <form method="get"><label>Code shown on the device <input name="user_code" autocomplete="off"></label>
                <button type="submit">Continue</button></form>
                """)
        }
        // Case, spaces and the dash do not matter (§6.1).
        let normalized = typed.uppercased().filter { $0.isLetter }
        let userCode = normalized.count == 8 ? String(normalized.prefix(4)) + "-" + String(normalized.suffix(4)) : normalized
        let now = clock.now
        // Found by its user code among the (bounded) grants: a person types one rarely,
        // so no second table is kept in step with the first.
        guard let (deviceCode, grant) = state.withLock({ $0.devices.first { $0.value.userCode == userCode } }),
            grant.issuer == issuer, grant.expiresAt > now, case .pending = grant.decision
        else {
            record(IdPObservation(action: "device_verification").with { $0.error = "unknown_user_code" })
            return Self.errorPage("unknown, expired or finished user code")
        }
        record(IdPObservation(action: "device_verification").with { $0.clientID = grant.clientID })
        if let user = autoLoginUser { return finishDevice(deviceCode, user: user) }
        let id = random.token()
        state.withLock { Self.remember(.device(deviceCode), as: id, in: &$0.pending, order: &$0.pendingOrder) }
        return loginPage(pendingID: id, client: grant.clientID)
    }

    /// The person approved (a user) or refused (nil) the device — while its code lives
    /// and nobody has decided yet.
    func finishDevice(_ deviceCode: String, user: IdPProfile.TestUser?, extraClaims: [String: ClaimValue] = [:]) -> Response {
        enum Outcome { case decided, expired, decidedBefore }
        let now = clock.now
        let outcome = state.withLock { state -> Outcome in
            guard let grant = state.devices[deviceCode], grant.expiresAt > now else { return .expired }
            guard case .pending = grant.decision else { return .decidedBefore }
            state.devices[deviceCode]?.decision = user.map { .approved(username: $0.username, extraClaims: extraClaims) } ?? .denied
            return .decided
        }
        var observation = IdPObservation(action: "login")
        let text: String
        switch outcome {
        case .expired:
            observation.outcome = "expired"
            text = "This code has expired: start again on the device."
        case .decidedBefore:
            observation.outcome = "already-decided"
            text = "This device was already answered."
        case .decided:
            observation.outcome = user.map { "user:\($0.username)" } ?? "denied"
            text = user == nil ? "The device was not connected." : "Your device is connected: you may return to it."
        }
        record(observation)
        return MockHTTP.page("idp-device-done", title: "mock IdP", "<p data-observe=\"device\">\(MarkupEscaping.attribute(text))</p>")
    }

    /// The token request of the device grant (RFC 8628 §3.4–3.5): pending until the person
    /// decides; the code is spent by its answer, whichever it is.
    func deviceToken(_ form: [String: String], client: IdPProfile.Client, issuer: String, observation: IdPObservation) async throws -> Response {
        guard let deviceCode = form["device_code"], !deviceCode.isEmpty else {
            return tokenError(observation, status: .badRequest, "invalid_request", "device_code is required")
        }
        let now = clock.now
        guard let grant = state.withLock({ $0.devices[deviceCode] }), grant.clientID == client.clientID, grant.issuer == issuer else {
            return tokenError(observation, status: .badRequest, "invalid_grant", "unknown device_code, or another client's or issuer's")
        }
        guard grant.expiresAt > now else {
            state.withLock { $0.devices[deviceCode] = nil }
            return tokenError(observation, status: .badRequest, "expired_token", "the device code expired before the person decided")
        }
        switch grant.decision {
        case .pending:
            return tokenError(observation, status: .badRequest, "authorization_pending", "the person has not decided yet")
        case .denied:
            state.withLock { $0.devices[deviceCode] = nil }
            return tokenError(observation, status: .badRequest, "access_denied", "the person refused the device")
        case .approved(let username, let typed):
            // Spent once: of two polls at once, one wins.
            guard state.withLock({ $0.devices.removeValue(forKey: deviceCode) }) != nil, let user = user(named: username) else {
                return tokenError(observation, status: .badRequest, "invalid_grant", "the device code was used")
            }
            let extra = extraClaims(login: typed, form: form, client: client, authorization: grant.parameters)
            return try await personTokens(user, client: client, issuer: issuer, scope: grant.scope, form: form, extraClaims: extra, observation: observation)
        }
    }
}

extension IdPObservation {
    func with(_ change: (inout IdPObservation) -> Void) -> IdPObservation {
        var copy = self
        change(&copy)
        return copy
    }
}
