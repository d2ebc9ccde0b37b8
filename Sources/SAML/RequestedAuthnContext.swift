import XMLSecurity

/// `samlp:RequestedAuthnContext` (SAML core §3.3.2.2.1): the authentication context
/// classes an SP will accept, and how they compare with the one used.
public struct RequestedAuthnContext: Sendable, Codable, Equatable {
    public enum Comparison: String, Sendable, Codable, CaseIterable {
        case exact, minimum, better, maximum
    }

    public var comparison: Comparison
    public var classRefs: [String]
    /// `AuthnContextDeclRef`s, which this IdP never satisfies (it has no declarations).
    public var declRefs: [String]

    public init(comparison: Comparison = .exact, classRefs: [String], declRefs: [String] = []) {
        self.comparison = comparison
        self.classRefs = classRefs
        self.declRefs = declRefs
    }

    init(element: XMLElement) throws(SAMLError) {
        let text = element.attribute("Comparison") ?? "exact"
        guard let comparison = Comparison(rawValue: text) else {
            throw SAMLError(.samlMalformed, field: "Comparison", value: text, detail: "Comparison is exact, minimum, better or maximum")
        }
        let classRefs = element.children("AuthnContextClassRef", XMLNamespace.saml).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        let declRefs = element.children("AuthnContextDeclRef", XMLNamespace.saml).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !classRefs.isEmpty || !declRefs.isEmpty else {
            throw SAMLError(.samlMalformed, field: "RequestedAuthnContext", detail: "a RequestedAuthnContext names at least one class or declaration")
        }
        self.init(comparison: comparison, classRefs: classRefs, declRefs: declRefs)
    }

    var tree: XMLTree {
        XMLTree(
            "samlp:RequestedAuthnContext", [("Comparison", comparison.rawValue)],
            children: classRefs.map { XMLTree("saml:AuthnContextClassRef", text: $0) } + declRefs.map { XMLTree("saml:AuthnContextDeclRef", text: $0) })
    }

    /// Whether an authentication of class `used` satisfies the request. The classes are
    /// ordered by strength for the comparisons (SAML core leaves the order to the IdP):
    /// unspecified < Password < PasswordProtectedTransport < the rest this IdP never
    /// performs; a class it does not know can only be met exactly.
    public func isSatisfied(by used: String) -> Bool {
        guard declRefs.isEmpty else { return false }
        let usedRank = AuthnContextClass.rank(used)
        return classRefs.contains { requested in
            if requested == used { return comparison != .better }
            guard let usedRank, let rank = AuthnContextClass.rank(requested) else { return false }
            switch comparison {
            case .exact: return false
            case .minimum: return usedRank >= rank
            case .better: return usedRank > rank
            case .maximum: return usedRank <= rank
            }
        }
    }
}

/// Authentication context classes (SAML authn context §3.4) this IdP can rank.
public enum AuthnContextClass {
    public static let unspecified = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified"
    public static let password = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"
    public static let passwordProtectedTransport = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    public static let timeSyncToken = "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken"
    public static let x509 = "urn:oasis:names:tc:SAML:2.0:ac:classes:X509"
    public static let smartcardPKI = "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI"

    static func rank(_ classRef: String) -> Int? {
        switch classRef {
        case unspecified: 0
        case password: 1
        case passwordProtectedTransport: 2
        case timeSyncToken, x509: 3
        case smartcardPKI: 4
        default: nil
        }
    }
}
