public import IdentityCore
import Connectors
import Foundation
import Provisioning
import SAML
import XMLSecurity

/// Rules an identity provider must satisfy before it is stored, from a YAML file or the
/// admin API alike; each refusal names the field (`idp.invalid_settings`).
public struct IdentityProviderValidator: Sendable {
    public let dialect: ClaimDialect
    public let userStores: [String]

    public init(dialect: ClaimDialect, userStores: [String]) {
        self.dialect = dialect
        self.userStores = userStores.map { $0.uppercased() }
    }

    static func invalid(_ field: String, _ value: String? = nil, _ detail: String) -> IdentityError {
        IdentityError(.idpInvalidSettings, field: field, value: value, detail: detail)
    }

    public func validate(_ idp: IdentityProvider) throws(IdentityError) {
        do {
            try ServiceProviderName.validate(idp.name)
        } catch {
            throw Self.invalid("name", idp.name, error.detail.replacingOccurrences(of: "service provider", with: "identity provider"))
        }
        // AU-9: `<idp>/<id>` (a federated subject) must never read as `<STORE>/<name>`.
        if (userStores + [UserStoreName.federated]).contains(idp.name.uppercased()) {
            throw Self.invalid("name", idp.name, "an identity provider cannot be named like a user store: its people's subjects would look like that store's accounts")
        }
        if let scim = idp.scim, let problem = scim.problems().first {
            throw Self.invalid(problem.field, nil, problem.detail)
        }
        if idp.kind == .scim {
            guard idp.scim != nil else { throw Self.invalid("scim", nil, "a scim identity provider needs scim settings (its provisioning connector)") }
            guard idp.oauth == nil, idp.saml == nil else {
                throw Self.invalid(idp.oauth != nil ? "oauth" : "saml", nil, "no one logs in with a scim identity provider: it has no login settings")
            }
        } else if idp.kind.usesOAuth {
            guard let oauth = idp.oauth else { throw Self.invalid("oauth", nil, "a \(idp.kind.rawValue) identity provider needs oauth settings") }
            guard idp.saml == nil else { throw Self.invalid("saml", nil, "only a saml identity provider has saml settings") }
            try validate(oauth, kind: idp.kind)
        } else {
            guard let saml = idp.saml else { throw Self.invalid("saml", nil, "a saml identity provider needs saml settings") }
            guard idp.oauth == nil else { throw Self.invalid("oauth", nil, "a saml identity provider has no oauth settings") }
            try validate(saml)
        }
        var names = Set<String>()
        for (index, mapping) in idp.claims.mappings.enumerated() {
            guard !mapping.idp.isEmpty, names.insert(mapping.idp).inserted else {
                throw Self.invalid("claims.mappings[\(index)].idp", mapping.idp, "each IdP claim is mapped once")
            }
            guard dialect.contains(mapping.local) else {
                throw Self.invalid("claims.mappings[\(index)].local", mapping.local, "no such local claim in the dialect")
            }
        }
        if let userID = idp.claims.userIDClaim, userID.isEmpty { throw Self.invalid("claims.userIDClaim", userID, "name the IdP's user ID claim") }
        guard userStores.contains(idp.jit.userStore) else {
            throw Self.invalid("jit.userStore", idp.jit.userStore, "the server has no such user store; it has \(userStores.joined(separator: ", "))")
        }
    }

    private func validate(_ oauth: OAuthConnectorSettings, kind: IdentityProvider.Kind) throws(IdentityError) {
        for (field, url) in [
            ("oauth.authorizationEndpoint", Optional(oauth.authorizationEndpoint)), ("oauth.tokenEndpoint", oauth.tokenEndpoint),
            ("oauth.userInfoEndpoint", oauth.userInfoEndpoint), ("oauth.jwksURI", oauth.jwksURI), ("oauth.emailsEndpoint", oauth.emailsEndpoint),
            ("oauth.endSessionEndpoint", oauth.endSessionEndpoint),
        ] {
            if let url, !Self.isWebURL(url) { throw Self.invalid(field, url, "an http or https URL") }
        }
        if oauth.clientID.isEmpty { throw Self.invalid("oauth.clientID", nil, "the client ID this server has at the IdP") }
        if (oauth.clientSecret ?? "").isEmpty { throw Self.invalid("oauth.clientSecret", nil, "the client secret this server has at the IdP") }
        if oauth.endSessionEndpoint != nil, !kind.usesIDToken {
            throw Self.invalid("oauth.endSessionEndpoint", nil, "only an OpenID Connect IdP has RP-initiated logout")
        }
        if kind.usesIDToken {
            if oauth.issuer == nil { throw Self.invalid("oauth.issuer", nil, "an OpenID Connect IdP's ID tokens are checked against its issuer") }
            if oauth.jwksURI == nil && oauth.jwks == nil {
                throw Self.invalid("oauth.jwksURI", nil, "an OpenID Connect IdP's ID tokens are checked with its JWKS (jwksURI, or jwks inline)")
            }
            if let jwks = oauth.jwks, ((try? JSONSerialization.jsonObject(with: Data(jwks.utf8))) as? [String: Any])?["keys"] as? [Any] == nil {
                throw Self.invalid("oauth.jwks", nil, "a JWK Set document: {\"keys\": [...]}")
            }
        } else if oauth.userInfoEndpoint == nil {
            throw Self.invalid("oauth.userInfoEndpoint", nil, "a \(kind.rawValue) identity provider is asked who the person is there")
        }
    }

    private func validate(_ saml: SAMLConnectorSettings) throws(IdentityError) {
        if saml.idpEntityID.isEmpty { throw Self.invalid("saml.idpEntityID", nil, "the Issuer the IdP's Responses carry") }
        if !Self.isWebURL(saml.ssoURL) { throw Self.invalid("saml.ssoURL", saml.ssoURL, "an http or https URL") }
        if let url = saml.sloURL, !Self.isWebURL(url) { throw Self.invalid("saml.sloURL", url, "an http or https URL") }
        if saml.certificates.isEmpty { throw Self.invalid("saml.certificates", nil, "the certificates the IdP signs with (nothing else is trusted)") }
        for (index, pem) in saml.certificates.enumerated() {
            do {
                _ = try TrustedCertificate(pem: pem)
            } catch {
                throw Self.invalid("saml.certificates[\(index)]", nil, "not a valid PEM certificate: \(error.detail)")
            }
        }
    }

    static func isWebURL(_ text: String) -> Bool {
        (text.hasPrefix("https://") || text.hasPrefix("http://")) && text.count > 8 && !text.contains(where: \.isWhitespace)
    }
}
