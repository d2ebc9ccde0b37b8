public import Foundation
public import XMLSecurity

/// `samlp:LogoutRequest` (SAML core §3.7.1): who is to be logged out (the NameID the
/// session's assertion named) and which of their sessions (SessionIndex).
public struct LogoutRequest: Sendable, Codable, Equatable {
    public var id: String
    public var issueInstant: Date
    public var issuer: String
    public var destination: String?
    public var nameID: String
    public var nameIDFormat: String?
    /// The sessions meant; none means every session of the NameID at the issuer (§3.7.1).
    public var sessionIndexes: [String]
    /// After this the request is void (§3.7.1 NotOnOrAfter).
    public var notOnOrAfter: Date?
    /// `urn:oasis:names:tc:SAML:2.0:logout:user` or `…:admin` (§3.7.3.4).
    public var reason: String?

    public init(
        id: String, issueInstant: Date, issuer: String, destination: String? = nil, nameID: String, nameIDFormat: String? = nil,
        sessionIndexes: [String] = [], notOnOrAfter: Date? = nil, reason: String? = nil
    ) {
        self.id = id
        self.issueInstant = issueInstant
        self.issuer = issuer
        self.destination = destination
        self.nameID = nameID
        self.nameIDFormat = nameIDFormat
        self.sessionIndexes = sessionIndexes
        self.notOnOrAfter = notOnOrAfter
        self.reason = reason
    }

    public static let userReason = "urn:oasis:names:tc:SAML:2.0:logout:user"
    /// The session was ended by an administrator (SAML core §3.7.3.2).
    public static let adminReason = "urn:oasis:names:tc:SAML:2.0:logout:admin"

    /// Reads a LogoutRequest element (the verified one when it was signed). An encrypted
    /// identifier (`EncryptedID`) is refused: this server never issues one.
    public init(element: XMLElement) throws(SAMLError) {
        let header = try SAMLMessageHeader(element: element, name: "LogoutRequest")
        guard let nameElement = element.firstChild("NameID", XMLNamespace.saml) else {
            let encrypted = element.firstChild("EncryptedID", XMLNamespace.saml) != nil
            throw SAMLError(
                .samlSubjectMissing, field: "NameID",
                detail: encrypted ? "an EncryptedID is not accepted: this server issues plain NameIDs" : "the LogoutRequest names nobody (no NameID)")
        }
        let nameID = nameElement.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !nameID.isEmpty else {
            throw SAMLError(.samlSubjectMissing, field: "NameID", detail: "the LogoutRequest's NameID is empty")
        }
        var notOnOrAfter: Date?
        if let text = element.attribute("NotOnOrAfter") {
            guard let date = SAMLTime.date(text) else {
                throw SAMLError(.samlMalformed, field: "NotOnOrAfter", value: text, detail: "not a SAML time")
            }
            notOnOrAfter = date
        }
        self.init(
            id: header.id, issueInstant: header.issueInstant, issuer: header.issuer, destination: header.destination, nameID: nameID,
            nameIDFormat: nameElement.attribute("Format"),
            sessionIndexes: element.children("SessionIndex", XMLNamespace.samlp).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) },
            notOnOrAfter: notOnOrAfter, reason: element.attribute("Reason"))
    }

    /// The element as markup, ready to sign or encode.
    public var tree: XMLTree {
        XMLTree(
            "samlp:LogoutRequest",
            [
                ("xmlns:samlp", XMLNamespace.samlp), ("xmlns:saml", XMLNamespace.saml), ("ID", id), ("Version", "2.0"),
                ("IssueInstant", SAMLTime.string(issueInstant)), ("Destination", destination),
                ("NotOnOrAfter", notOnOrAfter.map(SAMLTime.string)), ("Reason", reason),
            ],
            children: [XMLTree("saml:Issuer", text: issuer), XMLTree("saml:NameID", [("Format", nameIDFormat)], text: nameID)]
                + sessionIndexes.map { XMLTree("samlp:SessionIndex", text: $0) })
    }
}

/// `samlp:LogoutResponse` (SAML core §3.7.2): a StatusResponseType answering one
/// LogoutRequest.
public struct LogoutResponse: Sendable, Equatable {
    public var id: String
    public var issueInstant: Date
    public var issuer: String
    public var destination: String?
    public var inResponseTo: String?
    public var status: SAMLStatus

    public init(id: String, issueInstant: Date, issuer: String, destination: String?, inResponseTo: String?, status: SAMLStatus) {
        self.id = id
        self.issueInstant = issueInstant
        self.issuer = issuer
        self.destination = destination
        self.inResponseTo = inResponseTo
        self.status = status
    }

    /// SAML core §3.7.3.2: some session participant could not be logged out.
    public static let partialLogout = SAMLStatus(code: SAMLStatusCode.success, subcode: SAMLStatusCode.partialLogout)

    public init(element: XMLElement) throws(SAMLError) {
        let header = try SAMLMessageHeader(element: element, name: "LogoutResponse")
        let status = SAMLStatus(of: element)
        guard !status.code.isEmpty else {
            throw SAMLError(.samlMalformed, field: "Status", detail: "the LogoutResponse has no StatusCode")
        }
        self.init(
            id: header.id, issueInstant: header.issueInstant, issuer: header.issuer, destination: header.destination,
            inResponseTo: element.attribute("InResponseTo"), status: status)
    }

    public var tree: XMLTree {
        XMLTree(
            "samlp:LogoutResponse",
            [
                ("xmlns:samlp", XMLNamespace.samlp), ("xmlns:saml", XMLNamespace.saml), ("ID", id), ("Version", "2.0"),
                ("IssueInstant", SAMLTime.string(issueInstant)), ("Destination", destination), ("InResponseTo", inResponseTo),
            ],
            children: [XMLTree("saml:Issuer", text: issuer), status.tree])
    }
}

/// What every request and status response starts with (SAML core §3.2.1, §3.2.2): the
/// element's name, Version 2.0, an ID, IssueInstant and Issuer.
struct SAMLMessageHeader {
    let id: String
    let issueInstant: Date
    let issuer: String
    let destination: String?

    init(element: XMLElement, name: String) throws(SAMLError) {
        guard element.is(name, XMLNamespace.samlp) else {
            throw SAMLError(.samlUnexpectedMessage, value: element.localName, detail: "expected samlp:\(name), got \(element)")
        }
        guard element.attribute("Version") == "2.0" else {
            throw SAMLError(.samlVersionUnsupported, field: "Version", value: element.attribute("Version"), detail: "only SAML 2.0 is supported")
        }
        guard let id = element.attribute("ID"), !id.isEmpty else {
            throw SAMLError(.samlMalformed, field: "ID", detail: "the \(name) has no ID")
        }
        guard let instantText = element.attribute("IssueInstant"), let instant = SAMLTime.date(instantText) else {
            throw SAMLError(.samlMalformed, field: "IssueInstant", value: element.attribute("IssueInstant"), detail: "missing or invalid IssueInstant")
        }
        guard let issuer = element.firstChild("Issuer", XMLNamespace.saml)?.text.trimmingCharacters(in: .whitespacesAndNewlines),
            !issuer.isEmpty
        else {
            throw SAMLError(.samlIssuerMissing, field: "Issuer", detail: "the \(name) has no Issuer")
        }
        self.id = id
        self.issueInstant = instant
        self.issuer = issuer
        self.destination = element.attribute("Destination")
    }
}
