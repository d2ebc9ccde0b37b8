import Foundation
import IdentityCore
import MockSupport
import StrictYAML

/// Where and who the target's SAML IdP is (`saml:` in a target file): what every mock SP
/// of a run trusts and sends its requests to, in place of its profile's `idp:` section
/// (which describes the reference server).
///
/// ```yaml
/// saml:
///   entityID: http://127.0.0.1:8080/simplesaml/saml2/idp/metadata.php
///   ssoURL: "{server}/simplesaml/saml2/idp/SSOService.php"
///   certificates: [../.build/simplesamlphp/cert/idp.crt]   # relative to the target file
///   unsolicitedURL: "{server}/simplesaml/saml2/idp/SSOService.php?spentityid={entityID}&ConsumerURL={acs}&RelayState={relayState}"
/// ```
public struct SAMLIdentityProviderTarget: Decodable, Sendable {
    /// The IdP's entity ID: the Issuer of its Responses.
    public var entityID: String?
    /// Its single sign-on service (`{server}` is the front channel).
    public var ssoURL: String
    /// Its single logout service; the SSO service when absent (as at WSO2's `/samlsso`).
    public var sloURL: String?
    /// The certificates its signatures verify against, as absolute paths once loaded.
    public var certificates: [String]
    /// How to start IdP-initiated SSO there: a URL whose query names `{entityID}`, `{acs}`
    /// and `{relayState}`; a parameter whose placeholder a step leaves out is dropped.
    public var unsolicitedURL: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case entityID, ssoURL, sloURL, certificates, unsolicitedURL }

    public init(entityID: String?, ssoURL: String, sloURL: String? = nil, certificates: [String], unsolicitedURL: String?) {
        self.entityID = entityID
        self.ssoURL = ssoURL
        self.sloURL = sloURL
        self.certificates = certificates
        self.unsolicitedURL = unsolicitedURL
    }

    /// The reference server's endpoints (the mock SP profiles already name its entity ID
    /// and certificates).
    public static let reference = SAMLIdentityProviderTarget(
        entityID: nil, ssoURL: "{server}/samlsso", certificates: [],
        unsolicitedURL: "{server}/samlsso?spEntityID={entityID}&acs={acs}&RelayState={relayState}")

    /// What replaces a mock SP profile's `idp:` section; nil when the profile's own stands.
    var profileOverrides: ConfigValue? {
        guard let entityID else { return nil }
        return .object([
            ("idp", .object([
                ("entityID", .string(entityID)), ("ssoURL", .string(ssoURL)), ("sloURL", .string(sloURL ?? ssoURL)),
                ("certificates", .array(certificates.map(ConfigValue.string))),
            ]))
        ])
    }

    /// The IdP-initiated SSO URL for one SP. Each query parameter whose whole value is a
    /// placeholder takes the step's option of that name (`{entityID}`, `{acs}`,
    /// `{relayState}`) or else the run's (`{server}`), and is dropped when neither has it,
    /// so `{acs}` and `{relayState}` stay optional; other values are taken as written
    /// (percent-decoded, placeholders filled) and every value is percent-encoded once.
    func unsolicited(entityID: String, options: [String: String], placeholders: Placeholders) throws -> String {
        guard let template = unsolicitedURL, !template.isEmpty else {
            throw ScenarioError.invalid("the target names no unsolicitedURL for IdP-initiated SSO")
        }
        var values = options
        values["entityID"] = entityID
        guard let mark = template.firstIndex(of: "?") else { return try placeholders.substitute(template) }
        let base = try placeholders.substitute(String(template[..<mark]))
        var pairs = [(String, String)]()
        for pair in template[template.index(after: mark)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let name = kv[0].removingPercentEncoding ?? kv[0]
            let value = kv.count == 2 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
            if value.hasPrefix("{"), value.hasSuffix("}"), !value.dropFirst().dropLast().contains("{") {
                let key = String(value.dropFirst().dropLast())
                if let given = values[key] {
                    pairs.append((name, try placeholders.substitute(given)))
                } else if let known = placeholders.values[key] {
                    pairs.append((name, known))
                }
            } else {
                pairs.append((name, try placeholders.substitute(value)))
            }
        }
        return pairs.isEmpty ? base : base + "?" + URLEncoding.query(pairs)
    }
}
