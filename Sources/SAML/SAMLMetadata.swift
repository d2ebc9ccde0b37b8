public import XMLSecurity

/// EntityDescriptor documents (SAML metadata §2): the server's IdP metadata (SA-11) and a
/// mock SP's SP metadata.
public enum SAMLMetadata {
    /// The IdP's metadata. Its Extensions say which signature and digest algorithms it
    /// accepts (SAML v2.0 Metadata Profile for Algorithm Support, `alg:SigningMethod` and
    /// `alg:DigestMethod`), so an SP that reads them signs with one of these rather than
    /// falling back to RSA-SHA1.
    public static func identityProvider(
        entityID: String, ssoURL: String, sloURL: String? = nil, certificates: [SigningCredential], nameIDFormats: [String],
        wantsSignedRequests: Bool, signingMethods: [String] = SignatureAlgorithm.allCases.map(\.uri), digestMethods: [String] = DigestAlgorithm.allCases.map(\.uri)
    ) -> String {
        let extensions = XMLTree(
            "md:Extensions",
            children: digestMethods.map { XMLTree("alg:DigestMethod", [("Algorithm", $0)]) } + signingMethods.map { XMLTree("alg:SigningMethod", [("Algorithm", $0)]) })
        var children = certificates.map { keyDescriptor($0.certificateBase64) }
        // Schema order (metadata §2.4.2–2.4.3): keys, SingleLogoutService, NameIDFormat, SingleSignOnService.
        if let sloURL { children += SAMLBinding.allCases.map { XMLTree("md:SingleLogoutService", [("Binding", $0.rawValue), ("Location", sloURL)]) } }
        children += nameIDFormats.map { XMLTree("md:NameIDFormat", text: $0) }
        children += SAMLBinding.allCases.map { XMLTree("md:SingleSignOnService", [("Binding", $0.rawValue), ("Location", ssoURL)]) }
        return XMLTree(
            "md:EntityDescriptor",
            [("xmlns:md", XMLNamespace.metadata), ("xmlns:ds", XMLNamespace.dsig), ("xmlns:alg", XMLNamespace.algorithmSupport), ("entityID", entityID)],
            children: [
            extensions,
            XMLTree(
                "md:IDPSSODescriptor",
                [("protocolSupportEnumeration", XMLNamespace.samlp), ("WantAuthnRequestsSigned", wantsSignedRequests ? "true" : "false")],
                children: children)
        ]).serialized()
    }

    /// A mock SP's metadata: its endpoints numbered from `firstIndex` (0 or 1; real SPs'
    /// metadata usually starts at 1), the first the default; its certificate for signing,
    /// and for encryption with the algorithms it accepts.
    public static func serviceProvider(
        entityID: String, acsURLs: [String], sloURL: String? = nil, certificate: SigningCredential?, signsRequests: Bool, firstIndex: Int = 0,
        encryptionMethods: [String] = []
    ) -> String {
        var children = certificate.map { [keyDescriptor($0.certificateBase64)] } ?? []
        if let certificate, !encryptionMethods.isEmpty {
            children.append(keyDescriptor(certificate.certificateBase64, use: "encryption", methods: encryptionMethods))
        }
        // Schema order (metadata §2.4.2, §2.4.4): keys, SingleLogoutService, then the ACS endpoints.
        if let sloURL { children += SAMLBinding.allCases.map { XMLTree("md:SingleLogoutService", [("Binding", $0.rawValue), ("Location", sloURL)]) } }
        children += acsURLs.enumerated().map { position, url in
            XMLTree(
                "md:AssertionConsumerService",
                [("Binding", SAMLBinding.post.rawValue), ("Location", url), ("index", String(firstIndex + position)), ("isDefault", position == 0 ? "true" : nil)])
        }
        return XMLTree("md:EntityDescriptor", [("xmlns:md", XMLNamespace.metadata), ("xmlns:ds", XMLNamespace.dsig), ("entityID", entityID)], children: [
            XMLTree(
                "md:SPSSODescriptor",
                [
                    ("protocolSupportEnumeration", XMLNamespace.samlp), ("AuthnRequestsSigned", signsRequests ? "true" : "false"),
                    ("WantAssertionsSigned", "true"),
                ],
                children: children)
        ]).serialized()
    }

    private static func keyDescriptor(_ certificateBase64: String, use: String = "signing", methods: [String] = []) -> XMLTree {
        XMLTree("md:KeyDescriptor", [("use", use)], children: [
            XMLTree("ds:KeyInfo", children: [XMLTree("ds:X509Data", children: [XMLTree("ds:X509Certificate", text: certificateBase64)])])
        ] + methods.map { XMLTree("md:EncryptionMethod", [("Algorithm", $0)]) })
    }
}
