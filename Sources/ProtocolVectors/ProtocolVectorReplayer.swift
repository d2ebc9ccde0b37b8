public import Foundation
import IdentityCore
import OIDC
import SAML
import XMLSecurity

/// Replays `Vectors/protocol` through the code the reference server's connectors run on a
/// federated answer — the POST binding's decoding and `SAMLResponseValidator` for SAML, the
/// JWKS reader and `IDTokenValidator` for ID tokens — in the situation each kind's
/// `context.json` describes (who is expected, what was asked, the time).
public struct ProtocolVectorReplayer: Sendable {
    let saml: SAMLContext
    let trusted: TrustedCertificate
    let oidc: OIDCContext
    let keys: VerificationKeySet

    struct SAMLContext: Decodable {
        let idpEntityID: String
        let spEntityID: String
        let acs: String
        let outstandingRequestIDs: [String]
        let now: String
        let trustedCertificate: String
        let clockSkewSeconds: Double
        let allowUnsolicited: Bool
    }

    struct OIDCContext: Decodable {
        let issuer: String
        let clientID: String
        let nonce: String
        let accessToken: String
        let now: String
        let clockSkewSeconds: Double
    }

    /// `root` is the repository (certificates in the contexts are named relative to it).
    public init(root: URL) async throws {
        let directory = root.appendingPathComponent("Vectors/protocol")
        saml = try JSONDecoder().decode(SAMLContext.self, from: Data(contentsOf: directory.appendingPathComponent("saml/context.json")))
        trusted = try TrustedCertificate(pem: String(contentsOf: root.appendingPathComponent(saml.trustedCertificate), encoding: .utf8))
        oidc = try JSONDecoder().decode(OIDCContext.self, from: Data(contentsOf: directory.appendingPathComponent("oidc/context.json")))
        keys = try await VerificationKeySet(jwks: Data(contentsOf: directory.appendingPathComponent("oidc/jwks.json")))
    }

    /// The verdict the reference validators reach, with the refusal's full text.
    public func replay(_ vector: ProtocolVector) async -> (verdict: ProtocolVerdict, detail: String) {
        switch vector.kind {
        case .saml: replaySAML(vector.message)
        case .oidc: await replayIDToken(vector.message)
        }
    }

    public func replaySAML(_ xml: String) -> (verdict: ProtocolVerdict, detail: String) {
        do {
            let now = try Date(saml.now, strategy: .iso8601)
            let document = try POSTBinding.decode(Data(xml.utf8).base64EncodedString(), parameter: "SAMLResponse")
            let validated = try SAMLResponseValidator(clock: FixedWallClock(now)).validate(
                document,
                expecting: .init(
                    idpEntityID: saml.idpEntityID, trusted: [trusted], audience: saml.spEntityID, acsURL: saml.acs,
                    outstandingRequestIDs: Set(saml.outstandingRequestIDs), allowUnsolicited: saml.allowUnsolicited,
                    clockSkew: saml.clockSkewSeconds))
            return (.accepted(subject: validated.assertion?.nameID ?? ""), "")
        } catch let error as any CodedError {
            return (.refused(code: error.code.rawValue), error.description)
        } catch {
            return (.refused(code: "unexpected"), "\(error)")
        }
    }

    public func replayIDToken(_ token: String) async -> (verdict: ProtocolVerdict, detail: String) {
        do {
            let validator = IDTokenValidator(
                issuer: oidc.issuer, clientID: oidc.clientID, keys: keys, clock: FixedWallClock(try Date(oidc.now, strategy: .iso8601)),
                clockSkew: oidc.clockSkewSeconds)
            let (claims, _) = try await validator.validate(token, nonce: oidc.nonce, accessToken: oidc.accessToken)
            return (.accepted(subject: claims.sub), "")
        } catch let error as any CodedError {
            return (.refused(code: error.code.rawValue), error.description)
        } catch {
            return (.refused(code: "unexpected"), "\(error)")
        }
    }
}
