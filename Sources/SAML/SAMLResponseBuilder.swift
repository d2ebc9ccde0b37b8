public import Foundation
public import IdentityCore
public import XMLSecurity

/// One SAML attribute and its values.
public struct SAMLAttribute: Sendable, Codable, Equatable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

/// What an assertion says about the subject.
public struct SAMLAssertionContent: Sendable {
    public var nameID: String
    public var nameIDFormat: String
    public var attributes: [SAMLAttribute]
    public var authnInstant: Date
    public var sessionIndex: String
    public var authnContextClassRef: String

    public init(
        nameID: String, nameIDFormat: String, attributes: [SAMLAttribute], authnInstant: Date, sessionIndex: String,
        authnContextClassRef: String = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    ) {
        self.nameID = nameID
        self.nameIDFormat = nameIDFormat
        self.attributes = attributes
        self.authnInstant = authnInstant
        self.sessionIndex = sessionIndex
        self.authnContextClassRef = authnContextClassRef
    }
}

/// The status of a Response: success, or a top-level code with an optional second-level
/// code and message (SAML core §3.2.2.2).
public struct SAMLStatus: Sendable, Equatable {
    public var code: String
    public var subcode: String?
    public var message: String?

    public init(code: String, subcode: String? = nil, message: String? = nil) {
        self.code = code
        self.subcode = subcode
        self.message = message
    }

    public static let success = SAMLStatus(code: SAMLStatusCode.success)

    /// The Status of a status response (Response, LogoutResponse); an empty code when it
    /// has none.
    public init(of message: XMLElement) {
        let status = message.firstChild("Status", XMLNamespace.samlp)
        let code = status?.firstChild("StatusCode", XMLNamespace.samlp)
        self.init(
            code: code?.attribute("Value") ?? "", subcode: code?.firstChild("StatusCode", XMLNamespace.samlp)?.attribute("Value"),
            message: status?.firstChild("StatusMessage", XMLNamespace.samlp)?.text)
    }

    /// How the catalogue says a service provider hears `code`: its status and second-level
    /// status (Responder/RequestDenied when it names none), and its public message.
    public init(_ code: ErrorCode) {
        let pair = code.samlStatus ?? SAMLStatusPair(.responder, .requestDenied)
        self.init(code: SAMLStatusCode.uri(pair.top), subcode: pair.second.map(SAMLStatusCode.uri), message: code.message)
    }
    public var isSuccess: Bool { code == SAMLStatusCode.success }

    /// `samlp:Status` (SAML core §3.2.2.1).
    public var tree: XMLTree {
        var top = XMLTree("samlp:StatusCode", [("Value", code)])
        if let subcode { top.children = [.element(XMLTree("samlp:StatusCode", [("Value", subcode)]))] }
        var children = [top]
        if let message { children.append(XMLTree("samlp:StatusMessage", text: message)) }
        return XMLTree("samlp:Status", children: children)
    }

    /// `Success`, `Responder/RequestDenied`: the codes' last segments, as observations
    /// record them.
    public var shortForm: String {
        ([code] + (subcode.map { [$0] } ?? [])).map { $0.components(separatedBy: ":").last ?? $0 }.joined(separator: "/")
    }
}

/// How a Response and its assertion are signed (SA-6).
public struct SAMLSigningOptions: Sendable {
    public var credential: SigningCredential
    public var algorithm: SignatureAlgorithm
    public var digest: DigestAlgorithm
    public var signResponse: Bool
    public var signAssertion: Bool

    public init(credential: SigningCredential, algorithm: SignatureAlgorithm, digest: DigestAlgorithm, signResponse: Bool, signAssertion: Bool) {
        self.credential = credential
        self.algorithm = algorithm
        self.digest = digest
        self.signResponse = signResponse
        self.signAssertion = signAssertion
    }
}

/// Everything a Response carries besides the assertion content (SA-9, SA-12).
public struct SAMLResponseParameters: Sendable {
    public var issuer: String
    public var destination: String
    public var inResponseTo: String?
    /// Audiences: the SP's issuer first, then any extra ones (SA-9).
    public var audiences: [String]
    /// SubjectConfirmationData Recipient: the chosen ACS URL (SA-9).
    public var recipient: String
    public var validity: TimeInterval
    public var status: SAMLStatus
    /// Nil for a non-success status.
    public var assertion: SAMLAssertionContent?
    public var signing: SAMLSigningOptions?
    /// SA-8: encrypt the (signed) assertion for the SP; nil sends it in the clear.
    public var encryption: (any ElementEncrypting)?

    public init(
        issuer: String, destination: String, inResponseTo: String?, audiences: [String], recipient: String, validity: TimeInterval,
        status: SAMLStatus, assertion: SAMLAssertionContent?, signing: SAMLSigningOptions?, encryption: (any ElementEncrypting)? = nil
    ) {
        self.encryption = encryption
        self.issuer = issuer
        self.destination = destination
        self.inResponseTo = inResponseTo
        self.audiences = audiences
        self.recipient = recipient
        self.validity = validity
        self.status = status
        self.assertion = assertion
        self.signing = signing
    }
}

/// Builds and signs `samlp:Response` documents. Time and IDs come from the injected
/// clock and random source, so a scenario's responses are byte-identical run to run.
public struct SAMLResponseBuilder: Sendable {
    public let clock: any WallClock
    public let random: any RandomSource

    public init(clock: any WallClock, random: any RandomSource) {
        self.clock = clock
        self.random = random
    }

    /// The signed Response as XML text.
    public func build(_ p: SAMLResponseParameters) throws(XMLSecurityError) -> String {
        let now = clock.now
        let responseID = random.xmlIdentifier()
        var children = [XMLTree("saml:Issuer", [("Format", NameIDFormat.entity.rawValue)], text: p.issuer), p.status.tree]
        if let content = p.assertion, p.status.isSuccess {
            let assertion = assertionTree(content, p, now: now)
            if let encryption = p.encryption {
                children.append(try encryptedAssertion(assertion, encryption, signing: p.signing))
            } else {
                children.append(assertion)
            }
        }
        let response = XMLTree(
            "samlp:Response",
            [
                ("xmlns:samlp", XMLNamespace.samlp), ("xmlns:saml", XMLNamespace.saml), ("ID", responseID), ("Version", "2.0"),
                ("IssueInstant", SAMLTime.string(now)), ("Destination", p.destination), ("InResponseTo", p.inResponseTo),
            ],
            children: children)

        let document = try SafeXMLParser.parse(response.serialized())
        if let signing = p.signing {
            let signer = XMLSigner(credential: signing.credential, algorithm: signing.algorithm, digest: signing.digest)
            // Assertion first: the Response signature then covers the signed assertion.
            if signing.signAssertion, p.encryption == nil, let assertion = document.root.firstChild("Assertion", XMLNamespace.saml) {
                try signer.sign(assertion, placeAfter: assertion.firstChild("Issuer", XMLNamespace.saml))
            }
            if signing.signResponse {
                try signer.sign(document.root, placeAfter: document.root.firstChild("Issuer", XMLNamespace.saml))
            }
        }
        return document.serialized()
    }

    /// SAML core §6: the assertion is signed first (when the SP wants it signed), then
    /// encrypted as a document of its own — `xmlns:saml` declared on it, so it reads the
    /// same wherever it is decrypted — and the Response signature, if any, covers the
    /// `EncryptedAssertion`.
    private func encryptedAssertion(_ assertion: XMLTree, _ encryption: any ElementEncrypting, signing: SAMLSigningOptions?) throws(XMLSecurityError) -> XMLTree {
        let document = try standalone(assertion, signing: signing)
        return XMLTree("saml:EncryptedAssertion", children: [try encryption.encryptedData(for: Array(document.root.serialized().utf8))])
    }

    /// A signed Assertion on its own, outside any Response — what RFC 7522's SAML 2.0
    /// bearer grant presents at a token endpoint (a mock IdP mints them): `recipient` the
    /// token endpoint, `audiences` naming the authorization server, no InResponseTo.
    public func assertion(_ p: SAMLResponseParameters) throws(XMLSecurityError) -> String {
        guard let content = p.assertion else { throw XMLSecurityError(.xmlMalformed, detail: "no assertion content to build") }
        return try standalone(assertionTree(content, p, now: clock.now), signing: p.signing).root.serialized()
    }

    /// The assertion as a document of its own, `xmlns:saml` declared on it so it reads the
    /// same wherever it lands, and signed when the options say so.
    private func standalone(_ assertion: XMLTree, signing: SAMLSigningOptions?) throws(XMLSecurityError) -> XMLDocument {
        var standalone = assertion
        standalone.attributes.insert((name: "xmlns:saml", value: XMLNamespace.saml), at: 0)
        let document = try SafeXMLParser.parse(standalone.serialized())
        if let signing, signing.signAssertion {
            try XMLSigner(credential: signing.credential, algorithm: signing.algorithm, digest: signing.digest)
                .sign(document.root, placeAfter: document.root.firstChild("Issuer", XMLNamespace.saml))
        }
        return document
    }

    private func assertionTree(_ a: SAMLAssertionContent, _ p: SAMLResponseParameters, now: Date) -> XMLTree {
        let notOnOrAfter = SAMLTime.string(now.addingTimeInterval(p.validity))
        var children = [
            XMLTree("saml:Issuer", [("Format", NameIDFormat.entity.rawValue)], text: p.issuer),
            XMLTree("saml:Subject", children: [
                XMLTree("saml:NameID", [("Format", a.nameIDFormat)], text: a.nameID),
                XMLTree("saml:SubjectConfirmation", [("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")], children: [
                    XMLTree("saml:SubjectConfirmationData", [
                        ("InResponseTo", p.inResponseTo), ("NotOnOrAfter", notOnOrAfter), ("Recipient", p.recipient),
                    ])
                ]),
            ]),
            XMLTree("saml:Conditions", [("NotBefore", SAMLTime.string(now)), ("NotOnOrAfter", notOnOrAfter)], children: [
                XMLTree("saml:AudienceRestriction", children: p.audiences.map { XMLTree("saml:Audience", text: $0) })
            ]),
            XMLTree("saml:AuthnStatement", [("AuthnInstant", SAMLTime.string(a.authnInstant)), ("SessionIndex", a.sessionIndex)], children: [
                XMLTree("saml:AuthnContext", children: [XMLTree("saml:AuthnContextClassRef", text: a.authnContextClassRef)])
            ]),
        ]
        if !a.attributes.isEmpty {
            children.append(XMLTree("saml:AttributeStatement", children: a.attributes.map { attribute in
                XMLTree(
                    "saml:Attribute", [("Name", attribute.name), ("NameFormat", "urn:oasis:names:tc:SAML:2.0:attrname-format:basic")],
                    children: attribute.values.map { XMLTree("saml:AttributeValue", text: $0) })
            }))
        }
        return XMLTree(
            "saml:Assertion", [("ID", random.xmlIdentifier()), ("Version", "2.0"), ("IssueInstant", SAMLTime.string(now))],
            children: children)
    }
}
