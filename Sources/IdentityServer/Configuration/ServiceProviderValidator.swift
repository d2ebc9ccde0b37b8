public import IdentityCore
import Foundation
import SAML
import OIDC
import XMLSecurity

/// Rules a service provider must satisfy before it is stored, whether it came from a
/// YAML file or the admin API (SP-4: one path, one result). Each refusal names the field
/// so the YAML loader can point at its line.
public struct ServiceProviderValidator: Sendable {
    /// Key families the server can sign with; an SP may not ask for another.
    public let signingFamilies: Set<String>
    /// The local claims that exist; an SP may map only these.
    public let dialect: ClaimDialect

    public init(signingFamilies: Set<String>, dialect: ClaimDialect = .standard) {
        self.signingFamilies = signingFamilies
        self.dialect = dialect
    }

    public func validate(_ sp: ServiceProvider) throws(IdentityError) {
        try ServiceProviderName.validate(sp.name)
        if let pem = sp.certificate {
            do {
                _ = try TrustedCertificate(pem: pem)
            } catch {
                throw IdentityError(.spInvalidSettings, field: "certificate", detail: "the application certificate is not a valid PEM certificate: \(error.detail)")
            }
        }
        if let saml = sp.saml { try validate(saml, certificate: sp.certificate) }
        if let oidc = sp.oidc { try validate(oidc, certificate: sp.certificate) }
        try validate(sp.claims)
        if let sequence = sp.sequence { try validate(sequence) }
    }

    /// AU-1, AU-2, AU-4: steps with options, one subject step and one attributes step, a
    /// TOTP step only after a step that establishes the person, request-path credentials
    /// only for a first step that takes a password. (That each IdP named exists is checked
    /// against the store when the SP is stored.)
    private func validate(_ sequence: AuthenticationSequence) throws(IdentityError) {
        guard !sequence.steps.isEmpty else { throw IdentityError(.spInvalidSettings, field: "sequence.steps", detail: "a sequence has at least one step") }
        for (index, step) in sequence.steps.enumerated() {
            guard !step.options.isEmpty, Set(step.options).count == step.options.count else {
                throw IdentityError(.spInvalidSettings, field: "sequence.steps[\(index)].options", detail: "each step offers one or more different options")
            }
        }
        let subjects = sequence.steps.filter(\.subject).count
        let attributes = sequence.steps.filter(\.attributes).count
        guard subjects == 1, attributes == 1 else {
            throw IdentityError(
                .spInvalidSettings, field: "sequence.steps",
                detail: "exactly one step must be marked subject and exactly one attributes (found \(subjects) and \(attributes))")
        }
        if sequence.steps[0].options.contains(AuthenticationSequence.totp) {
            throw IdentityError(
                .spInvalidSettings, field: "sequence.steps[0].options", value: AuthenticationSequence.totp,
                detail: "TOTP is a second factor: an earlier step must establish the person")
        }
        if sequence.requestPathAuthentication, !sequence.steps[0].options.contains(AuthenticationSequence.basic) {
            throw IdentityError(
                .spInvalidSettings, field: "sequence.requestPathAuthentication", detail: "request-path credentials pass a first step that offers basic")
        }
    }

    /// CL-1, CL-2, CL-5, CL-7: every mapped claim exists in the local dialect, a custom
    /// dialect names each one (once), and the subject and role claims name known claims.
    private func validate(_ claims: ClaimConfiguration) throws(IdentityError) {
        var names = Set<String>()
        for (index, mapping) in claims.mappings.enumerated() {
            guard dialect.contains(mapping.local) else {
                throw IdentityError(
                    .spInvalidSettings, field: "claims.mappings[\(index)].local", value: mapping.local, detail: "no such local claim in the dialect")
            }
            if claims.dialect == .custom && (mapping.sp ?? "").isEmpty {
                throw IdentityError(.spInvalidSettings, field: "claims.mappings[\(index)].sp", detail: "a custom dialect names every claim for the SP")
            }
            guard names.insert(mapping.name(in: claims.dialect)).inserted else {
                throw IdentityError(
                    .spInvalidSettings, field: "claims.mappings[\(index)]", value: mapping.name(in: claims.dialect), detail: "the SP receives two claims under one name")
            }
        }
        if let subject = claims.subjectClaim, !dialect.contains(subject) {
            throw IdentityError(.spInvalidSettings, field: "claims.subjectClaim", value: subject, detail: "no such local claim in the dialect")
        }
        if let role = claims.roleClaim, !names.contains(role) && !dialect.contains(role) {
            throw IdentityError(.spInvalidSettings, field: "claims.roleClaim", value: role, detail: "the role claim must be a mapped claim or a local claim")
        }
    }

    private func validate(_ oidc: OIDCSettings, certificate: String?) throws(IdentityError) {
        if oidc.clientID.isEmpty || oidc.clientID.utf8.count > 255 || oidc.clientID.contains(where: { $0.isWhitespace || $0 == ":" }) {
            throw IdentityError(.spInvalidSettings, field: "oidc.clientID", value: oidc.clientID, detail: "1 to 255 characters, no spaces or ':'")
        }
        for (index, url) in oidc.callbackURLs.enumerated() {
            if let problem = RedirectURIMatcher.registrationProblem(url) {
                throw IdentityError(.spInvalidSettings, field: "oidc.callbackURLs[\(index)]", value: url, detail: problem)
            }
        }
        // Back-Channel Logout 1.0 §2.2 / Front-Channel Logout 1.0 §2: absolute URLs; a
        // back-channel URI has no fragment (it is called by the server, not a browser).
        for (field, uri) in [("oidc.backchannelLogoutURI", oidc.backchannelLogoutURI), ("oidc.frontchannelLogoutURI", oidc.frontchannelLogoutURI)] {
            guard let uri else { continue }
            guard EndpointURL.isAbsoluteHTTP(uri), field == "oidc.frontchannelLogoutURI" || !uri.contains("#") else {
                throw IdentityError(.spInvalidSettings, field: field, value: uri, detail: "an absolute http(s) URL (without a fragment for the back channel)")
            }
        }
        if (oidc.grantTypes.contains(.authorizationCode) || oidc.grantTypes.contains(.implicit)) && oidc.callbackURLs.isEmpty {
            throw IdentityError(.spInvalidSettings, field: "oidc.callbackURLs", detail: "a browser-based grant needs at least one callback URL")
        }
        if let jwks = oidc.jwks {
            let document = (try? JSONSerialization.jsonObject(with: Data(jwks.utf8))) as? [String: Any]
            guard let keys = document?["keys"] as? [[String: Any]], !keys.isEmpty, keys.allSatisfy({ $0["kid"] is String }) else {
                throw IdentityError(.spInvalidSettings, field: "oidc.jwks", detail: "a JWK Set document: {\"keys\": [...]}, each key with a kid")
            }
        }
        for scope in oidc.managementScopes where ManagementScope(rawValue: scope) == nil {
            throw IdentityError(
                .spInvalidSettings, field: "oidc.managementScopes", value: scope,
                detail: "one of \(ManagementScope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if oidc.requireSignedRequestObject && certificate == nil && oidc.jwks == nil {
            throw IdentityError(
                .spInvalidSettings, field: "oidc.requireSignedRequestObject", detail: "signed requests need the application certificate or oidc.jwks")
        }
        if oidc.tokenEndpointAuthMethod == .privateKeyJWT && certificate == nil {
            throw IdentityError(.spInvalidSettings, field: "oidc.tokenEndpointAuthMethod", detail: "private_key_jwt needs the application certificate")
        }
        if oidc.tokenEndpointAuthMethod == .none && (oidc.clientSecret != nil || oidc.clientSecretHash != nil) {
            throw IdentityError(.spInvalidSettings, field: "oidc.clientSecret", detail: "a public client (auth method none) has no secret")
        }
        if oidc.tokenEndpointAuthMethod == .none && oidc.grantTypes.contains(where: { [.clientCredentials, .password].contains($0) }) {
            throw IdentityError(.spInvalidSettings, field: "oidc.grantTypes", detail: "a public client cannot use client_credentials or password")
        }
        let family = oidc.idTokenSigningAlgorithm.keyFamily
        guard signingFamilies.contains(family) else {
            throw IdentityError(
                .spInvalidSettings, field: "oidc.idTokenSigningAlgorithm", value: oidc.idTokenSigningAlgorithm.rawValue,
                detail: "the server has no \(family) signing key configured")
        }
        for (field, seconds) in [
            ("userAccessTokenLifetime", oidc.userAccessTokenLifetime), ("applicationAccessTokenLifetime", oidc.applicationAccessTokenLifetime),
            ("refreshTokenLifetime", oidc.refreshTokenLifetime), ("idTokenLifetime", oidc.idTokenLifetime),
        ] where seconds < 1 || seconds > 31_536_000 {
            throw IdentityError(.spInvalidSettings, field: "oidc.\(field)", value: String(seconds), detail: "between 1 second and 1 year")
        }
    }

    /// The record as stored: a plain client secret becomes its hash. With `issueSecret`,
    /// a secret-based client without one gets a new secret, returned once.
    public func prepare(_ sp: ServiceProvider, issueSecret: Bool, random: any RandomSource) throws(IdentityError)
        -> (serviceProvider: ServiceProvider, issuedSecret: String?)
    {
        guard var oidc = sp.oidc else { return (sp, nil) }
        var issued: String?
        if let plain = oidc.clientSecret {
            oidc.clientSecretHash = ClientSecret.hash(plain)
            oidc.clientSecret = nil
        } else if oidc.clientSecretHash == nil && oidc.tokenEndpointAuthMethod.usesSecret {
            guard issueSecret else {
                throw IdentityError(.spInvalidSettings, field: "oidc.clientSecret", detail: "a \(oidc.tokenEndpointAuthMethod.rawValue) client needs a clientSecret")
            }
            let secret = ClientSecret.generate(random)
            oidc.clientSecretHash = ClientSecret.hash(secret)
            issued = secret
        }
        var prepared = sp
        prepared.oidc = oidc
        return (prepared, issued)
    }

    private func validate(_ saml: SAMLSettings, certificate: String?) throws(IdentityError) {
        if saml.issuer.trimmingCharacters(in: .whitespaces).isEmpty {
            throw IdentityError(.spInvalidSettings, field: "saml.issuer", detail: "the SAML issuer is required")
        }
        if saml.acsURLs.isEmpty {
            throw IdentityError(.spInvalidSettings, field: "saml.acsURLs", detail: "at least one ACS URL is required (SA-2)")
        }
        for (index, url) in saml.acsURLs.enumerated() where !EndpointURL.isAbsoluteHTTP(url) {
            throw IdentityError(.spInvalidSettings, field: "saml.acsURLs[\(index)]", value: url, detail: "an ACS URL must be an absolute http(s) URL")
        }
        if let defaultURL = saml.defaultACSURL, !saml.acsURLs.contains(defaultURL) {
            throw IdentityError(
                .spInvalidSettings, field: "saml.defaultACSURL", value: defaultURL, detail: "the default ACS URL must be one of acsURLs (SA-2)")
        }
        var indexes = Set<Int>()
        for (position, entry) in (saml.acsIndexes ?? []).enumerated() {
            guard (0...Int(UInt16.max)).contains(entry.index), indexes.insert(entry.index).inserted else {
                throw IdentityError(
                    .spInvalidSettings, field: "saml.acsIndexes[\(position)].index", value: String(entry.index),
                    detail: "each index is an unsigned short, used once")
            }
            guard saml.acsURLs.contains(entry.url) else {
                throw IdentityError(
                    .spInvalidSettings, field: "saml.acsIndexes[\(position)].url", value: entry.url, detail: "an indexed ACS URL must be one of acsURLs")
            }
        }
        for (field, url) in [("saml.sloRequestURL", saml.sloRequestURL), ("saml.sloResponseURL", saml.sloResponseURL)] {
            if let url, !EndpointURL.isAbsoluteHTTP(url) {
                throw IdentityError(.spInvalidSettings, field: field, value: url, detail: "a single logout URL must be an absolute http(s) URL")
            }
        }
        for (index, url) in saml.returnToURLs.enumerated() where !EndpointURL.isAbsoluteHTTP(url) {
            throw IdentityError(.spInvalidSettings, field: "saml.returnToURLs[\(index)]", value: url, detail: "a return-to URL must be an absolute http(s) URL")
        }
        if let pem = saml.encryptionCertificate, (try? CertificateLoader.certificate(pem: pem)) == nil {
            throw IdentityError(.spInvalidSettings, field: "saml.encryptionCertificate", detail: "not a PEM certificate")
        }
        // SA-8: encryption needs an RSA certificate to encrypt for, and an algorithm the
        // SP's metadata (when it lists any) says it accepts — found now, not at the first login.
        do {
            _ = try saml.assertionEncryptor(applicationCertificate: certificate)
        } catch {
            throw IdentityError(.spInvalidSettings, field: "saml.encryptAssertions", detail: error.detail)
        }
        let accepted = (saml.encryptionMethods ?? []).compactMap(DataEncryptionAlgorithm.init(uri:))
        if saml.encryptAssertions, let algorithm = saml.assertionEncryptionAlgorithm, !accepted.isEmpty, !accepted.contains(algorithm) {
            throw IdentityError(
                .spInvalidSettings, field: "saml.assertionEncryptionAlgorithm", value: algorithm.rawValue,
                detail: "the SP's metadata accepts only \(accepted.map(\.rawValue).joined(separator: ", "))")
        }
        if let algorithm = saml.signatureAlgorithm {
            let family = algorithm.family == .rsa ? "rsa" : "ec"
            if !signingFamilies.contains(family) {
                throw IdentityError(
                    .spInvalidSettings, field: "saml.signatureAlgorithm", value: algorithm.rawValue,
                    detail: "the server has no \(family) signing key configured")
            }
        }
        if saml.assertionValiditySeconds <= 0 || saml.assertionValiditySeconds > 86_400 {
            throw IdentityError(
                .spInvalidSettings, field: "saml.assertionValiditySeconds", value: String(saml.assertionValiditySeconds),
                detail: "between 1 and 86400 seconds")
        }
    }
}

