public import IdentityCore
public import XMLSecurity

/// SAML 2.0 Web SSO settings of one service provider (SA-1 … SA-12).
///
/// The `saml:` section of a service provider. Algorithms are written by short name
/// (`rsa-sha256`, `ecdsa-sha384`, `sha256`) so a YAML file stays readable; a nil algorithm
/// means "the server-wide default" (SA-6).
public struct SAMLSettings: ServiceProviderSection {
    public static let key = "saml"
    /// The SP's entity ID; an AuthnRequest is matched to the SP by its `<Issuer>` (SA-1).
    public var issuer: String
    /// Registered assertion consumer service URLs (SA-2).
    public var acsURLs: [String]
    /// The default ACS URL; must be one of `acsURLs`. Nil means the first one.
    public var defaultACSURL: String?
    /// SA-3: which registered ACS URL each `AssertionConsumerServiceIndex` names, as the
    /// SP's metadata numbers its endpoints (`index`, often from 1). A request's index is
    /// looked up here, never taken as a position in `acsURLs`; nil: no indexes known, so
    /// a request naming one is refused.
    public var acsIndexes: [ACSIndex]?
    /// The SP's encryption certificate (PEM) and the XML Encryption algorithms it accepts,
    /// from its metadata's `KeyDescriptor use="encryption"`. Without one, assertions are
    /// encrypted for the application certificate (SP-2), as WSO2 does.
    public var encryptionCertificate: String?
    public var encryptionMethods: [String]?
    /// SA-8: encrypt assertions for this SP (WSO2's "Enable Assertion Encryption").
    public var encryptAssertions: Bool
    /// SA-8: the data encryption algorithm; nil: the first GCM one the SP's metadata lists,
    /// else its first one the server supports, else AES-256-GCM (XML Encryption 1.1's recommendation; CBC is
    /// there for SPs that cannot do GCM, and a CBC assertion is only as safe as its
    /// signature).
    public var assertionEncryptionAlgorithm: DataEncryptionAlgorithm?
    /// SA-8: the key transport algorithm; nil: RSA-OAEP with MGF1-SHA1 (`rsa-oaep-mgf1p`),
    /// the one every SAML SP decrypts.
    public var keyEncryptionAlgorithm: KeyTransportAlgorithm?
    /// NameID format (SA-5); a document may name it by URI or by its last segment.
    public var nameIDFormat: NameIDFormat
    public var signResponses: Bool
    public var signAssertions: Bool
    public var signatureAlgorithm: SignatureAlgorithm?
    public var digestAlgorithm: DigestAlgorithm?
    /// Verify signatures on AuthnRequest and LogoutRequest (SA-7).
    public var validateRequestSignatures: Bool
    /// Allow unsolicited (IdP-initiated) SSO to this SP (SA-4).
    public var idpInitiatedSSO: Bool
    /// Extra audiences beside the issuer (SA-9).
    public var audiences: [String]
    /// Put released claims in an AttributeStatement (CL-9).
    public var attributeProfile: Bool
    /// With the attribute profile: release claims even when the request did not ask (CL-9).
    public var includeAttributesAlways: Bool
    /// How long an assertion is valid after it is issued, in seconds (SA-12).
    public var assertionValiditySeconds: Int
    /// SA-10: the SP takes part in single logout — its LogoutRequests are honoured and it
    /// hears of logouts started elsewhere. WSO2's "Enable Single Logout".
    public var singleLogout: Bool
    /// Where LogoutRequests to this SP go (its SingleLogoutService Location); nil: its
    /// default ACS URL, as WSO2 does.
    public var sloRequestURL: String?
    /// Where LogoutResponses to this SP go (the ResponseLocation); nil: `sloRequestURL`,
    /// then the default ACS URL.
    public var sloResponseURL: String?
    /// How logout messages reach this SP through the browser (front channel).
    public var sloBinding: SAMLBinding
    /// SA-10: the server may start single logout for this SP (`/samlsso?slo=true&spEntityID=…`).
    public var idpInitiatedSLO: Bool
    /// Where IdP-initiated logout may send the browser afterwards (`returnTo`), exactly.
    public var returnToURLs: [String]

    public init(
        issuer: String, acsURLs: [String], defaultACSURL: String? = nil,
        nameIDFormat: NameIDFormat = .emailAddress,
        signResponses: Bool = true, signAssertions: Bool = true,
        signatureAlgorithm: SignatureAlgorithm? = nil, digestAlgorithm: DigestAlgorithm? = nil,
        validateRequestSignatures: Bool = false, idpInitiatedSSO: Bool = false, audiences: [String] = [],
        attributeProfile: Bool = false, includeAttributesAlways: Bool = false, assertionValiditySeconds: Int = 300,
        acsIndexes: [ACSIndex]? = nil, encryptionCertificate: String? = nil, encryptionMethods: [String]? = nil,
        singleLogout: Bool = false, sloRequestURL: String? = nil, sloResponseURL: String? = nil, sloBinding: SAMLBinding = .post,
        idpInitiatedSLO: Bool = false, returnToURLs: [String] = [], encryptAssertions: Bool = false,
        assertionEncryptionAlgorithm: DataEncryptionAlgorithm? = nil, keyEncryptionAlgorithm: KeyTransportAlgorithm? = nil
    ) {
        self.encryptAssertions = encryptAssertions
        self.assertionEncryptionAlgorithm = assertionEncryptionAlgorithm
        self.keyEncryptionAlgorithm = keyEncryptionAlgorithm
        self.issuer = issuer
        self.acsURLs = acsURLs
        self.defaultACSURL = defaultACSURL
        self.acsIndexes = acsIndexes
        self.encryptionCertificate = encryptionCertificate
        self.encryptionMethods = encryptionMethods
        self.nameIDFormat = nameIDFormat
        self.signResponses = signResponses
        self.signAssertions = signAssertions
        self.signatureAlgorithm = signatureAlgorithm
        self.digestAlgorithm = digestAlgorithm
        self.validateRequestSignatures = validateRequestSignatures
        self.idpInitiatedSSO = idpInitiatedSSO
        self.audiences = audiences
        self.attributeProfile = attributeProfile
        self.includeAttributesAlways = includeAttributesAlways
        self.assertionValiditySeconds = assertionValiditySeconds
        self.singleLogout = singleLogout
        self.sloRequestURL = sloRequestURL
        self.sloResponseURL = sloResponseURL
        self.sloBinding = sloBinding
        self.idpInitiatedSLO = idpInitiatedSLO
        self.returnToURLs = returnToURLs
    }

    /// SA-8: the data encryption algorithm in force (see `assertionEncryptionAlgorithm`).
    public var effectiveAssertionEncryptionAlgorithm: DataEncryptionAlgorithm {
        let listed = (encryptionMethods ?? []).compactMap(DataEncryptionAlgorithm.init(uri:))
        return assertionEncryptionAlgorithm ?? listed.first(where: \.isGCM) ?? listed.first ?? .aes256GCM
    }

    /// SA-8: how this SP's assertions are encrypted — for its encryption certificate, else
    /// `applicationCertificate` — or nil when encryption is off.
    public func assertionEncryptor(applicationCertificate: String?) throws(XMLSecurityError) -> XMLEncryptor? {
        guard encryptAssertions else { return nil }
        guard let pem = encryptionCertificate ?? applicationCertificate else {
            throw XMLSecurityError(.certificateMalformed, detail: "assertion encryption is on but the SP has no encryption or application certificate")
        }
        return XMLEncryptor(
            recipient: try EncryptionRecipient(pem: pem), data: effectiveAssertionEncryptionAlgorithm, keyTransport: keyEncryptionAlgorithm ?? .rsaOAEPMGF1P)
    }

    /// Where this SP's LogoutRequests go: its SLO URL, else its default ACS URL (SA-10).
    public var effectiveSLORequestURL: String? { sloRequestURL ?? effectiveDefaultACSURL }
    /// Where this SP's LogoutResponses go.
    public var effectiveSLOResponseURL: String? { sloResponseURL ?? effectiveSLORequestURL }

    /// The URL `AssertionConsumerServiceIndex` `index` names, if any.
    public func acsURL(index: Int) -> String? {
        acsIndexes?.first { $0.index == index }?.url
    }

    /// The ACS URL used when a request names none: the configured default, else the first.
    public var effectiveDefaultACSURL: String? { defaultACSURL ?? acsURLs.first }

    /// The Audience values of an assertion for this SP: its issuer first, then the extra
    /// ones (SA-9).
    public var assertionAudiences: [String] { [issuer] + audiences.filter { $0 != issuer } }

    /// An AuthnRequest names its SP by `<Issuer>` (SA-1).
    public var lookupKeys: [ServiceProviderLookup] { [.samlIssuer(issuer)] }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case issuer, acsURLs, defaultACSURL, acsIndexes, nameIDFormat, signResponses, signAssertions, signatureAlgorithm,
             digestAlgorithm, validateRequestSignatures, idpInitiatedSSO, audiences, attributeProfile,
             includeAttributesAlways, assertionValiditySeconds, encryptionCertificate, encryptionMethods, singleLogout, sloRequestURL,
             sloResponseURL, sloBinding, idpInitiatedSLO, returnToURLs, encryptAssertions, assertionEncryptionAlgorithm, keyEncryptionAlgorithm
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try c.decode(String.self, forKey: .issuer)
        acsURLs = try c.decode([String].self, forKey: .acsURLs)
        defaultACSURL = try c.decodeIfPresent(String.self, forKey: .defaultACSURL)
        acsIndexes = try c.decodeIfPresent([ACSIndex].self, forKey: .acsIndexes)
        encryptionCertificate = try c.decodeIfPresent(String.self, forKey: .encryptionCertificate)
        encryptionMethods = try c.decodeIfPresent([String].self, forKey: .encryptionMethods)
        nameIDFormat = try c.decodeIfPresent(NameIDFormat.self, forKey: .nameIDFormat) ?? .emailAddress
        signResponses = try c.decodeIfPresent(Bool.self, forKey: .signResponses) ?? true
        signAssertions = try c.decodeIfPresent(Bool.self, forKey: .signAssertions) ?? true
        signatureAlgorithm = try c.decodeIfPresent(SignatureAlgorithm.self, forKey: .signatureAlgorithm)
        digestAlgorithm = try c.decodeIfPresent(DigestAlgorithm.self, forKey: .digestAlgorithm)
        validateRequestSignatures = try c.decodeIfPresent(Bool.self, forKey: .validateRequestSignatures) ?? false
        idpInitiatedSSO = try c.decodeIfPresent(Bool.self, forKey: .idpInitiatedSSO) ?? false
        audiences = try c.decodeIfPresent([String].self, forKey: .audiences) ?? []
        attributeProfile = try c.decodeIfPresent(Bool.self, forKey: .attributeProfile) ?? false
        includeAttributesAlways = try c.decodeIfPresent(Bool.self, forKey: .includeAttributesAlways) ?? false
        assertionValiditySeconds = try c.decodeIfPresent(Int.self, forKey: .assertionValiditySeconds) ?? 300
        singleLogout = try c.decodeIfPresent(Bool.self, forKey: .singleLogout) ?? false
        sloRequestURL = try c.decodeIfPresent(String.self, forKey: .sloRequestURL)
        sloResponseURL = try c.decodeIfPresent(String.self, forKey: .sloResponseURL)
        sloBinding = try c.decodeIfPresent(SAMLBinding.self, forKey: .sloBinding) ?? .post
        idpInitiatedSLO = try c.decodeIfPresent(Bool.self, forKey: .idpInitiatedSLO) ?? false
        returnToURLs = try c.decodeIfPresent([String].self, forKey: .returnToURLs) ?? []
        encryptAssertions = try c.decodeIfPresent(Bool.self, forKey: .encryptAssertions) ?? false
        assertionEncryptionAlgorithm = try c.decodeIfPresent(DataEncryptionAlgorithm.self, forKey: .assertionEncryptionAlgorithm)
        keyEncryptionAlgorithm = try c.decodeIfPresent(KeyTransportAlgorithm.self, forKey: .keyEncryptionAlgorithm)
    }
}

/// One indexed ACS endpoint (SAML metadata §2.2.3 IndexedEndpointType): `index` names
/// `url`, which must be one of the SP's `acsURLs`.
public struct ACSIndex: Codable, Hashable, Sendable {
    public var index: Int
    public var url: String

    public init(index: Int, url: String) {
        self.index = index
        self.url = url
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case index, url }
}

extension ServiceProviderLookup {
    /// The service provider whose SAML issuer (entity ID) is `issuer`.
    public static func samlIssuer(_ issuer: String) -> ServiceProviderLookup {
        ServiceProviderLookup(field: "saml.issuer", value: issuer)
    }
}

extension ServiceProvider {
    /// SAML 2.0 Web SSO inbound settings; nil when the application does not speak SAML.
    public var saml: SAMLSettings? {
        get { self[section: SAMLSettings.self] }
        set { self[section: SAMLSettings.self] = newValue }
    }
}
