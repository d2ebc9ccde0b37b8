public import AsyncHTTPClient
import Foundation
import IdentityCore

/// Configures a SimpleSAMLphp 1.19 IdP for the suite: the worked example of an adapter for
/// a server we did not write (`adapter: simplesamlphp`, README "Test your own identity
/// server").
///
/// SimpleSAMLphp has no management API; its configuration is PHP files. The lab
/// `Targets/simplesamlphp/serve.sh` writes once read one JSON file, `harness-state.json`
/// in `adapterSettings.directory`, on every request: `saml20-sp-remote.php` takes every service provider's
/// metadata array from it and `authsources.php` the users of the `harness-users`
/// (exampleauth:UserPass) source. This adapter only rewrites that file, atomically, so PHP
/// never reads half of it — each request re-reads it (the lab turns opcache off).
///
/// Registrations come in the reference server's shape and mean WSO2 semantics; each is
/// translated to the SimpleSAMLphp metadata option that means the same, where one exists:
///
/// | registration (`saml.`) | SimpleSAMLphp SP-remote metadata |
/// | --- | --- |
/// | `issuer` | the entity ID (the array's key) |
/// | `acsURLs`, `acsIndexes`, `defaultACSURL` | `AssertionConsumerService` (HTTP-POST, `index`, `isDefault`) |
/// | `nameIDFormat` + `claims.subjectClaim` | `NameIDFormat` + a `saml:AttributeNameID` filter |
/// | `signResponses`, `signAssertions` | `saml20.sign.response`, `saml20.sign.assertion` |
/// | `signatureAlgorithm` | `signature.algorithm` (RSA only; it also sets the digest) |
/// | `validateRequestSignatures` + `certificate` | `validate.authnrequest` (and `validate.logout`) + `certData` |
/// | `singleLogout`, `sloRequestURL`, `sloResponseURL`, `sloBinding` | `SingleLogoutService` (`Location`, `ResponseLocation`), `sign.logout`, and `validate.logout` + `certData` with a `certificate` |
/// | `audiences` | `audience` |
/// | `encryptAssertions` + `encryptionCertificate` or `certificate` | `assertion.encryption` + `certData` (1.19 encrypts with AES-128-CBC and RSA-OAEP-MGF1P only: other algorithms are refused at setup) |
/// | `assertionValiditySeconds` | `assertion.lifetime` |
/// | `attributeProfile` + `includeAttributesAlways`, `claims.mappings` | `simplesaml.attributes` + a `core:AttributeLimit` filter |
/// | `claims.dialect: custom` (`sp:` names) | a `core:AttributeMap` filter |
/// | `claims.skipConsent` not set, claims asked for | a `consent:Consent` filter (consent:Database) |
///
/// What has no equivalent is left to SimpleSAMLphp's own behaviour, and where that differs
/// from BEHAVIOR the target's expected-failures file says so (`idpInitiatedSSO: false`:
/// it has no per-SP switch; a NameIDPolicy it cannot meet: it answers with its configured
/// format instead of `InvalidNameIDPolicy`).
public struct SimpleSAMLphpAdapter: TargetAdapter {
    /// `harness-state.json` in the lab directory (`adapterSettings.directory`, from the
    /// target file's directory): `serviceProviders` (entity ID → SP-remote metadata) and
    /// `users` (`username:password` → attributes).
    let state: LabStateFile

    public init(file: TargetFile) throws {
        state = try LabStateFile(
            target: file, adapter: "simplesamlphp", sections: ["serviceProviders", "users"], serveScript: "Targets/simplesamlphp/serve.sh")
    }

    public var acceptsAdminSteps: Bool { false }

    /// The users' attribute holding the username (what `uid` is in LDAP-shaped sources).
    static let usernameAttribute = "uid"

    public func register(_ registration: JSONValue, identityProvider: Bool, on target: any RunningTarget, client: HTTPClient) async throws {
        guard !identityProvider else {
            throw ScenarioError.setup("the simplesamlphp adapter configures SAML service providers only, not federated identity providers")
        }
        let (entityID, metadata) = try Self.metadata(
            for: registration, consentStore: state.url.deletingLastPathComponent().appendingPathComponent("data/consent.sqlite").path)
        try state.add(metadata, key: entityID, to: "serviceProviders", what: "SimpleSAMLphp's service provider \(entityID)")
    }

    public func addUser(_ user: JSONValue, on target: any RunningTarget, client: HTTPClient) async throws {
        guard let username = user["username"]?.stringValue, let password = user["password"]?.stringValue else {
            throw ScenarioError.setup("a user needs a username and a password")
        }
        var contents = try state.read()
        // exampleauth:UserPass keys its users `username:password`: a colon in the username
        // would make another user.
        guard !username.contains(":") else { throw ScenarioError.setup("SimpleSAMLphp's exampleauth cannot hold username \(username)") }
        guard !(contents["users"] ?? [:]).keys.contains(where: { $0.hasPrefix(username + ":") }) else {
            throw ScenarioError.setup("SimpleSAMLphp already has a user \(username)")
        }
        var attributes: [String: JSONValue] = [Self.usernameAttribute: .array([.string(username)])]
        if case .object(let claims)? = user["claims"] {
            for (name, value) in claims {
                attributes[LocalClaims.uri(name)] = value.arrayValue.map(JSONValue.array) ?? .array([value])
            }
        }
        contents["users"]?[username + ":" + password] = .object(attributes)
        try state.write(contents)
    }

    public func inventory(of target: any RunningTarget, client: HTTPClient) async throws -> TargetInventory {
        TargetInventory(serviceProviders: try state.keys("serviceProviders"), users: try state.keys("users"))
    }

    public func removeAdded(since before: TargetInventory, on target: any RunningTarget, client: HTTPClient) async throws {
        try state.keepOnly(["serviceProviders": before.serviceProviders, "users": before.users])
        // Consents given in the scenario go with it: the lab keeps an empty store to copy.
        let data = state.url.deletingLastPathComponent().appendingPathComponent("data")
        let empty = data.appendingPathComponent("consent-empty.sqlite")
        if FileManager.default.fileExists(atPath: empty.path) {
            let fresh = data.appendingPathComponent("consent-next.sqlite")
            try? FileManager.default.removeItem(at: fresh)
            try FileManager.default.copyItem(at: empty, to: fresh)
            // rename(2): PHP opens either the old store or the new one, never half of one.
            guard rename(fresh.path, data.appendingPathComponent("consent.sqlite").path) == 0 else {
                throw ScenarioError.setup("cannot reset SimpleSAMLphp's consent store in \(data.path): errno \(errno)")
            }
        }
    }

    /// SimpleSAMLphp keeps no state the suite reads back (the reference layer is not
    /// compared against it).
    public func finalState(of target: any RunningTarget, tokens: Bool, client: HTTPClient) async throws -> [String: JSONValue] {
        [:]
    }

    static let signatureAlgorithms = [
        "rsa-sha1": "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        "rsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "rsa-sha512": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    ]

    /// The entity ID and the SP-remote metadata array for a registration (see the table above).
    static func metadata(for registration: JSONValue, consentStore: String? = nil) throws -> (String, JSONValue) {
        guard let saml = registration["saml"], let entityID = saml["issuer"]?.stringValue else {
            throw ScenarioError.setup("the simplesamlphp adapter registers SAML service providers (saml.issuer), not \(registration["name"]?.stringValue ?? "this party")")
        }
        func flag(_ key: String, _ otherwise: Bool) -> Bool {
            if case .bool(let b)? = saml[key] { return b }
            return otherwise
        }
        var metadata = [String: JSONValue]()

        // Endpoints: indexed ones at their index, the rest after them.
        let urls = (saml["acsURLs"]?.arrayValue ?? []).compactMap(\.stringValue)
        var indexed = (saml["acsIndexes"]?.arrayValue ?? []).compactMap { entry -> (Int, String)? in
            guard case .int(let index)? = entry["index"], let url = entry["url"]?.stringValue else { return nil }
            return (index, url)
        }
        var next = (indexed.map(\.0).max() ?? -1) + 1
        for url in urls where !indexed.contains(where: { $0.1 == url }) {
            indexed.append((next, url))
            next += 1
        }
        let defaultURL = saml["defaultACSURL"]?.stringValue ?? urls.first
        metadata["AssertionConsumerService"] = .array(indexed.sorted { $0.0 < $1.0 }.map { index, url in
            .object([
                "Binding": .string("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"), "Location": .string(url), "index": .int(index),
                "isDefault": .bool(url == defaultURL),
            ])
        })

        // NameID: the subject claim's value in the configured format. WSO2 semantics send a
        // username that is no email address as `unspecified` even when `emailAddress` is
        // configured; SimpleSAMLphp would label it emailAddress, so the format that will
        // actually be sent is configured.
        let subjectClaim = registration["claims"]?["subjectClaim"]?.stringValue.map(LocalClaims.uri)
        let format = saml["nameIDFormat"]?.stringValue ?? "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
        let sendsEmail = subjectClaim == LocalClaims.uri("emailaddress")
        let sentFormat = format.hasSuffix(":emailAddress") && !sendsEmail ? "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" : format
        metadata["NameIDFormat"] = .string(sentFormat)
        // The NameID is made by a filter that runs before any attribute filter, so it does
        // not depend on the subject attribute being released.
        var filters: [String: JSONValue] = [
            "10": .object(["class": .string("saml:AttributeNameID"), "Format": .string(sentFormat), "attribute": .string(subjectClaim ?? usernameAttribute)])
        ]

        metadata["saml20.sign.response"] = .bool(flag("signResponses", true))
        metadata["saml20.sign.assertion"] = .bool(flag("signAssertions", true))
        if let algorithm = saml["signatureAlgorithm"]?.stringValue {
            guard let uri = signatureAlgorithms[algorithm] else {
                throw ScenarioError.setup("SimpleSAMLphp 1.19 signs with RSA keys only, not \(algorithm)")
            }
            metadata["signature.algorithm"] = .string(uri)
        }
        if flag("validateRequestSignatures", false) {
            guard let pem = registration["certificate"]?.stringValue else {
                throw ScenarioError.setup("validating request signatures needs the SP's certificate")
            }
            metadata["validate.authnrequest"] = .bool(true)
            metadata["certData"] = .string(
                pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined())
        }
        // Single logout (SA-10): the SP's SingleLogoutService, where SimpleSAMLphp sends its
        // LogoutRequests and answers the SP's own; signed, as the mock SPs act only on
        // signed logout messages (WSO2 signs them too). The server under BEHAVIOR checks a
        // logout message's signature whenever the SP has a certificate (required when it
        // validates requests); SimpleSAMLphp can only require and check, or not look, so
        // with a certificate it requires them (the mock SPs sign every logout message).
        if flag("singleLogout", false) {
            let request = saml["sloRequestURL"]?.stringValue ?? defaultURL ?? ""
            let response = saml["sloResponseURL"]?.stringValue ?? request
            let binding = saml["sloBinding"]?.stringValue == "redirect" ? "HTTP-Redirect" : "HTTP-POST"
            metadata["SingleLogoutService"] = .array([
                .object([
                    "Binding": .string("urn:oasis:names:tc:SAML:2.0:bindings:" + binding), "Location": .string(request),
                    "ResponseLocation": .string(response),
                ])
            ])
            metadata["sign.logout"] = .bool(true)
            if let pem = registration["certificate"]?.stringValue {
                metadata["validate.logout"] = .bool(true)
                metadata["certData"] = .string(pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined())
            } else {
                metadata["validate.logout"] = .bool(flag("validateRequestSignatures", false))
            }
        }
        // SA-8. With an SP certificate SimpleSAMLphp 1.19 always encrypts with AES-128-CBC
        // and wraps the key with RSA-OAEP-MGF1P (modules/saml IdP/SAML2::encryptAssertion,
        // saml2 EncryptedAssertion::setAssertion): any other choice cannot be configured.
        if flag("encryptAssertions", false) {
            guard let pem = saml["encryptionCertificate"]?.stringValue ?? registration["certificate"]?.stringValue else {
                throw ScenarioError.setup("assertion encryption needs the SP's encryption or application certificate")
            }
            for (key, only) in [("assertionEncryptionAlgorithm", "aes128-cbc"), ("keyEncryptionAlgorithm", "rsa-oaep-mgf1p")] {
                if let chosen = saml[key]?.stringValue, chosen != only {
                    throw ScenarioError.setup("SimpleSAMLphp 1.19 encrypts assertions with AES-128-CBC and RSA-OAEP-MGF1P only, not \(key) \(chosen)")
                }
            }
            metadata["assertion.encryption"] = .bool(true)
            metadata["certData"] = .string(pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined())
        }
        let audiences = (saml["audiences"]?.arrayValue ?? []).compactMap(\.stringValue).filter { $0 != entityID }
        if !audiences.isEmpty { metadata["audience"] = .array(audiences.map(JSONValue.string)) }
        if case .int(let seconds)? = saml["assertionValiditySeconds"] { metadata["assertion.lifetime"] = .int(seconds) }

        // Attributes (CL-2, CL-9): only with the attribute profile and "always", and then
        // only the claims the SP asks for.
        let mappings = (registration["claims"]?["mappings"]?.arrayValue ?? []).filter { mapping in
            mapping["requested"] != .bool(false) || mapping["mandatory"] == .bool(true)
        }
        let released = mappings.compactMap { $0["local"]?.stringValue.map(LocalClaims.uri) }
        // PHP reads `{"0": "a", "1": "b"}` as the list the filter takes beside its class.
        var limit: [String: JSONValue] = ["class": .string("core:AttributeLimit")]
        for (index, claim) in released.enumerated() { limit[String(index)] = .string(claim) }
        if flag("attributeProfile", false) && flag("includeAttributesAlways", false) && !released.isEmpty {
            filters["50"] = .object(limit)
            // A custom dialect (CL-1): the SP's own names, by core:AttributeMap (local → SP name).
            if registration["claims"]?["dialect"]?.stringValue == "custom" {
                var map: [String: JSONValue] = ["class": .string("core:AttributeMap")]
                for mapping in mappings {
                    if let local = mapping["local"]?.stringValue, let name = mapping["sp"]?.stringValue { map[LocalClaims.uri(local)] = .string(name) }
                }
                filters["60"] = .object(map)
            }
        } else {
            metadata["simplesaml.attributes"] = .bool(false)
        }
        // Consent (CL-4) for the claims it asks for, unless the SP skips it: the consent
        // module, remembering decisions in the lab's database (a cookie store would forget
        // them with the browser). It asks again when the released attributes change.
        if registration["claims"]?["skipConsent"] != .bool(true), !released.isEmpty, let consentStore {
            // The person is asked about the claims the SP asks for, never more, also when
            // none are sent in the assertion.
            filters["50"] = .object(limit)
            filters["90"] = .object([
                // Who gave it is `userid.attribute` of the IdP (set to uid by the lab): 1.19
                // ignores the filter's identifyingAttribute, which only 2.x reads.
                "class": .string("consent:Consent"), "identifyingAttribute": .string(usernameAttribute), "focus": .string("yes"),
                // "Remember" ticked: WSO2 keeps a consent until it is revoked.
                "checked": .bool(true),
                // A store names its class as element 0 (PHP reads the key "0" as 0).
                "store": .object(["0": .string("consent:Database"), "dsn": .string("sqlite:" + consentStore)]),
            ])
        }
        metadata["authproc"] = .object(filters)
        return (entityID, .object(metadata))
    }
}
