public import XMLSecurity

/// EntityDescriptor documents (SAML metadata §2): the server's IdP metadata (SA-11) and a
/// mock SP's SP metadata.
public enum SAMLMetadata {
    public static func identityProvider(
        entityID: String, ssoURL: String, certificates: [SigningCredential], nameIDFormats: [String], wantsSignedRequests: Bool
    ) -> String {
        var children = certificates.map { keyDescriptor($0.certificateBase64) }
        children += nameIDFormats.map { XMLTree("md:NameIDFormat", text: $0) }
        children += SAMLBinding.allCases.map { XMLTree("md:SingleSignOnService", [("Binding", $0.rawValue), ("Location", ssoURL)]) }
        return XMLTree("md:EntityDescriptor", [("xmlns:md", XMLNamespace.metadata), ("xmlns:ds", XMLNamespace.dsig), ("entityID", entityID)], children: [
            XMLTree(
                "md:IDPSSODescriptor",
                [("protocolSupportEnumeration", XMLNamespace.samlp), ("WantAuthnRequestsSigned", wantsSignedRequests ? "true" : "false")],
                children: children)
        ]).serialized()
    }

    public static func serviceProvider(entityID: String, acsURLs: [String], certificate: SigningCredential?, signsRequests: Bool) -> String {
        var children = certificate.map { [keyDescriptor($0.certificateBase64)] } ?? []
        children += acsURLs.enumerated().map { index, url in
            XMLTree(
                "md:AssertionConsumerService",
                [("Binding", SAMLBinding.post.rawValue), ("Location", url), ("index", String(index)), ("isDefault", index == 0 ? "true" : nil)])
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

    private static func keyDescriptor(_ certificateBase64: String) -> XMLTree {
        XMLTree("md:KeyDescriptor", [("use", "signing")], children: [
            XMLTree("ds:KeyInfo", children: [XMLTree("ds:X509Data", children: [XMLTree("ds:X509Certificate", text: certificateBase64)])])
        ])
    }
}
