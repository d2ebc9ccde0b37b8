public import IdentityCore
import SAML
import XMLSecurity

/// Rules a service provider must satisfy before it is stored, whether it came from a
/// YAML file or the admin API (SP-4: one path, one result). Each refusal names the field
/// so the YAML loader can point at its line.
public struct ServiceProviderValidator: Sendable {
    /// Key families the server can sign with; an SP may not ask for another.
    public let signingFamilies: Set<String>

    public init(signingFamilies: Set<String>) {
        self.signingFamilies = signingFamilies
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
        if let saml = sp.saml { try validate(saml) }
        for (index, mapping) in sp.claims.mappings.enumerated() where sp.claims.dialect == .custom && (mapping.sp ?? "").isEmpty {
            throw IdentityError(.spInvalidSettings, field: "claims.mappings[\(index)].sp", detail: "a custom dialect names every claim for the SP")
        }
    }

    private func validate(_ saml: SAMLSettings) throws(IdentityError) {
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
        if NameIDFormat(rawValue: saml.nameIDFormat) == nil {
            throw IdentityError(
                .spInvalidSettings, field: "saml.nameIDFormat", value: saml.nameIDFormat,
                detail: "not a standard NameID format; use one of \(NameIDFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let name = saml.signatureAlgorithm {
            guard let algorithm = SignatureAlgorithm(rawValue: name) else {
                throw IdentityError(
                    .spInvalidSettings, field: "saml.signatureAlgorithm", value: name,
                    detail: "use one of \(SignatureAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let family = algorithm.family == .rsa ? "rsa" : "ec"
            if !signingFamilies.contains(family) {
                throw IdentityError(
                    .spInvalidSettings, field: "saml.signatureAlgorithm", value: name, detail: "the server has no \(family) signing key configured")
            }
        }
        if let name = saml.digestAlgorithm, DigestAlgorithm(rawValue: name) == nil {
            throw IdentityError(
                .spInvalidSettings, field: "saml.digestAlgorithm", value: name,
                detail: "use one of \(DigestAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if saml.assertionValiditySeconds <= 0 || saml.assertionValiditySeconds > 86_400 {
            throw IdentityError(
                .spInvalidSettings, field: "saml.assertionValiditySeconds", value: String(saml.assertionValiditySeconds),
                detail: "between 1 and 86400 seconds")
        }
    }
}

