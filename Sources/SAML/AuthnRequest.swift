public import Foundation
public import XMLSecurity

/// `samlp:AuthnRequest` (SAML core §3.4.1): the values, apart from how they are read or
/// written.
public struct AuthnRequest: Sendable, Codable, Equatable {
    public var id: String
    public var issueInstant: Date
    public var issuer: String
    public var destination: String?
    public var assertionConsumerServiceURL: String?
    public var assertionConsumerServiceIndex: Int?
    public var protocolBinding: String?
    public var forceAuthn: Bool
    public var isPassive: Bool
    public var nameIDPolicyFormat: String?
    /// NameIDPolicy's AllowCreate (SAML core §3.4.1.1); nil when absent.
    public var nameIDPolicyAllowCreate: Bool?
    /// Present when the SP asks for its attribute set (CL-9).
    public var attributeConsumingServiceIndex: Int?
    /// SAML core §3.3.2.2.1: the authentication contexts the SP will accept.
    public var requestedAuthnContext: RequestedAuthnContext?

    public init(
        id: String, issueInstant: Date, issuer: String, destination: String? = nil, assertionConsumerServiceURL: String? = nil,
        assertionConsumerServiceIndex: Int? = nil, protocolBinding: String? = SAMLBinding.post.rawValue, forceAuthn: Bool = false,
        isPassive: Bool = false, nameIDPolicyFormat: String? = nil, nameIDPolicyAllowCreate: Bool? = nil,
        attributeConsumingServiceIndex: Int? = nil, requestedAuthnContext: RequestedAuthnContext? = nil
    ) {
        self.id = id
        self.issueInstant = issueInstant
        self.issuer = issuer
        self.destination = destination
        self.assertionConsumerServiceURL = assertionConsumerServiceURL
        self.assertionConsumerServiceIndex = assertionConsumerServiceIndex
        self.protocolBinding = protocolBinding
        self.forceAuthn = forceAuthn
        self.isPassive = isPassive
        self.nameIDPolicyFormat = nameIDPolicyFormat
        self.nameIDPolicyAllowCreate = nameIDPolicyAllowCreate
        self.attributeConsumingServiceIndex = attributeConsumingServiceIndex
        self.requestedAuthnContext = requestedAuthnContext
    }

    /// Reads an AuthnRequest element (the verified one when it was signed).
    public init(element: XMLElement) throws(SAMLError) {
        let header = try SAMLMessageHeader(element: element, name: "AuthnRequest")
        let index = try Self.unsignedInteger(element, "AssertionConsumerServiceIndex")
        let attributeIndex = try Self.unsignedInteger(element, "AttributeConsumingServiceIndex")
        let policy = element.firstChild("NameIDPolicy", XMLNamespace.samlp)
        let requested = try element.firstChild("RequestedAuthnContext", XMLNamespace.samlp).map(RequestedAuthnContext.init(element:))
        self.init(
            id: header.id, issueInstant: header.issueInstant, issuer: header.issuer, destination: header.destination,
            assertionConsumerServiceURL: element.attribute("AssertionConsumerServiceURL"),
            assertionConsumerServiceIndex: index, protocolBinding: element.attribute("ProtocolBinding"),
            forceAuthn: Self.boolean(element.attribute("ForceAuthn")), isPassive: Self.boolean(element.attribute("IsPassive")),
            nameIDPolicyFormat: policy?.attribute("Format"), nameIDPolicyAllowCreate: policy?.attribute("AllowCreate").map(Self.boolean),
            attributeConsumingServiceIndex: attributeIndex, requestedAuthnContext: requested)
    }

    /// The element as markup, ready to sign or encode.
    public var tree: XMLTree {
        var children = [XMLTree("saml:Issuer", text: issuer)]
        if nameIDPolicyFormat != nil || nameIDPolicyAllowCreate != nil {
            children.append(
                XMLTree("samlp:NameIDPolicy", [("Format", nameIDPolicyFormat), ("AllowCreate", nameIDPolicyAllowCreate.map { $0 ? "true" : "false" })]))
        }
        if let requestedAuthnContext { children.append(requestedAuthnContext.tree) }
        return XMLTree(
            "samlp:AuthnRequest",
            [
                ("xmlns:samlp", XMLNamespace.samlp), ("xmlns:saml", XMLNamespace.saml), ("ID", id), ("Version", "2.0"),
                ("IssueInstant", SAMLTime.string(issueInstant)), ("Destination", destination),
                ("AssertionConsumerServiceURL", assertionConsumerServiceURL),
                ("AssertionConsumerServiceIndex", assertionConsumerServiceIndex.map(String.init)),
                ("ProtocolBinding", protocolBinding), ("ForceAuthn", forceAuthn ? "true" : nil),
                ("IsPassive", isPassive ? "true" : nil),
                ("AttributeConsumingServiceIndex", attributeConsumingServiceIndex.map(String.init)),
            ],
            children: children)
    }

    static func unsignedInteger(_ element: XMLElement, _ name: String) throws(SAMLError) -> Int? {
        guard let text = element.attribute(name) else { return nil }
        guard let value = Int(text), value >= 0, value <= Int(UInt16.max) else {
            throw SAMLError(.samlMalformed, field: name, value: text, detail: "not an unsigned short")
        }
        return value
    }

    static func boolean(_ text: String?) -> Bool {
        text == "true" || text == "1"
    }
}
