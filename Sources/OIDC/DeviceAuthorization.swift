import Foundation
import IdentityCore

/// The device authorization response (RFC 8628 §3.2).
public struct DeviceAuthorizationResponse: Codable, Sendable, Equatable {
    public var device_code: String
    public var user_code: String
    public var verification_uri: String
    public var verification_uri_complete: String
    public var expires_in: Int
    public var interval: Int
}

/// The device authorization endpoint: a device code for the client to poll with and a
/// short user code for the person to type at `verification_uri`.
public struct DeviceAuthorizationEndpoint: Sendable {
    public let context: OAuthContext

    /// RFC 8628 §6.1: no vowels (no words), no easily confused characters; 8 characters
    /// from 20 give about 34 bits, enough for a code that lives minutes and is rate-limited.
    static let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")

    public init(context: OAuthContext) {
        self.context = context
    }

    public var verificationURI: String { context.issuer + "/oauth2/device" }

    public func respond(to request: TokenRequest) async throws -> DeviceAuthorizationResponse {
        let client = try await ClientAuthenticator(context: context).authenticate(request)
        guard client.settings.grantTypes.contains(.deviceCode) else {
            throw OAuthError(.oauthUnauthorizedClient, detail: "this client may not use the device authorization grant")
        }
        guard !client.settings.revoked else {
            throw OAuthError(.oauthUnauthorizedClient, detail: "this application has been revoked")
        }
        let deviceCode = context.random.token()
        let userCode = makeUserCode()
        let now = context.clock.now
        try await context.storage.deviceAuthorizations.create(
            DeviceAuthorizationRecord(
                id: OAuthContext.storageID(deviceCode), userCode: userCode, clientID: client.settings.clientID,
                scopes: try await context.knownScopes(request["scope"], client: client.settings), issuedAt: now,
                expiresAt: now.addingTimeInterval(context.deviceCodeLifetime), interval: context.devicePollInterval))
        return DeviceAuthorizationResponse(
            device_code: deviceCode, user_code: userCode, verification_uri: verificationURI,
            verification_uri_complete: verificationURI + "?user_code=" + userCode, expires_in: Int(context.deviceCodeLifetime),
            interval: context.devicePollInterval)
    }

    func makeUserCode() -> String {
        // Rejection sampling: bytes ≥ 240 are redrawn, so each letter is equally likely.
        var letters = [Character]()
        while letters.count < 8 {
            for byte in context.random.bytes(8) where byte < 240 && letters.count < 8 {
                letters.append(Self.alphabet[Int(byte) % Self.alphabet.count])
            }
        }
        return String(letters.prefix(4)) + "-" + String(letters.suffix(4))
    }

    /// Normalises what a person typed: case, spaces and dashes do not matter.
    public static func normalise(_ typed: String) -> String {
        let letters = typed.uppercased().filter { alphabet.contains($0) }
        guard letters.count == 8 else { return typed }
        return String(letters.prefix(4)) + "-" + String(letters.suffix(4))
    }
}
