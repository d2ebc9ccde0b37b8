import Foundation
import Hummingbird
import IdentityCore
import OIDC

/// Logout sent by the provider (SA-10's OIDC half): `POST /backchannel-logout` takes a
/// logout token (Back-Channel Logout 1.0) and validates it as an RP must; `GET
/// /frontchannel-logout` is the page the provider loads in an iframe (Front-Channel
/// Logout 1.0) with `iss` and `sid`. Either is recorded; an accepted one ends the RP's
/// browser sessions. It keeps its tokens — a real RP would drop them — so a scenario can
/// show that the provider revoked them.
extension MockRelyingParty {
    func backchannelLogout(_ token: String?) async throws -> Response {
        var observation = RPObservation(action: "backchannel-logout")
        var logout = LogoutObservation(valid: false)
        // Keys or metadata the provider does not serve are recorded by ProviderFailures.
        let validator = LogoutTokenValidator(idTokens: try await idTokenValidator())
        do throws(JOSEError) {
            guard let token else { throw JOSEError(.jwtMalformed, field: "logout_token", detail: "no logout_token in the form") }
            logout.typ = try? JOSEHeader(token: token).typ
            let claims = try await validator.validate(token)
            guard state.withLock({ $0.logoutTokenIDs.insert(claims.jti).inserted }) else {
                throw JOSEError(.jwtReplayed, field: "jti", detail: "this logout token was already honoured")
            }
            let (sid, identity) = state.withLock { ($0.sid, $0.identity) }
            logout.valid = true
            logout.sidMatched = claims.sid.map { $0 == sid }
            logout.subMatched = claims.sub.map { $0 == identity?.sub }
            endSession()
        } catch {
            logout.error = error.code.rawValue
            observation.errorDescription = error.detail
        }
        observation.logout = logout
        _ = record(observation)
        if profile.backchannelAnswer == .slow { try await Task.sleep(for: .seconds(MockIdentityProvider.stallSeconds)) }
        // §2.8: 200 when logged out, 400 for a bad request; `error` plays an RP that failed.
        let status: HTTPResponse.Status = !logout.valid ? .badRequest : profile.backchannelAnswer == .error ? .internalServerError : .ok
        return Response(status: status, headers: [.cacheControl: "no-store"])
    }

    func frontchannelLogout(_ q: [String: String]) -> Response {
        var observation = RPObservation(action: "frontchannel-logout")
        let sid = state.withLock { $0.sid }
        let issMatched = q["iss"] == issuer
        let sidMatched = q["sid"].map { $0 == sid }
        // §2: with `iss` and `sid` both, and both this RP's, the session is the one to end.
        observation.logout = LogoutObservation(valid: issMatched && sidMatched == true, issMatched: issMatched, sidMatched: sidMatched)
        if observation.logout?.valid == true { endSession() }
        return record(observation)
    }

    private func endSession() {
        sessions.clear()
    }
}
