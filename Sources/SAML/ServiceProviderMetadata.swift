import Foundation
public import IdentityCore
import XMLSecurity

/// SA-11: what an SP's metadata (SAML Metadata §2.4.4, an `EntityDescriptor` with an
/// `SPSSODescriptor`) says about it — read with the same hardened parser as any message
/// (no DTD, no entities, size and depth limits), since a metadata URL is just another
/// party's document.
public struct ServiceProviderMetadata: Sendable, Equatable {
    public let entityID: String
    /// HTTP-POST assertion consumer services in `index` order: the only binding this IdP
    /// answers with. Endpoints of other bindings are listed in ``otherACSBindings``.
    public let acsURLs: [String]
    /// Each HTTP-POST endpoint's `index` (SA-3: what AssertionConsumerServiceIndex names).
    public let acsIndexes: [ACSIndex]
    /// The `isDefault="true"` endpoint, else the lowest index (Metadata §2.2.3).
    public let defaultACSURL: String?
    /// Bindings of ACS endpoints that were not registered (HTTP-Artifact, PAOS, …).
    public let otherACSBindings: [String]
    /// The PEM of the first `use="signing"` (or use-less) certificate, if any.
    public let signingCertificatePEM: String?
    /// The PEM of the first `use="encryption"` (or use-less) certificate, if any, and the
    /// `EncryptionMethod` algorithms listed with it (SAML metadata §2.4.1.1).
    public let encryptionCertificatePEM: String?
    public let encryptionMethods: [String]
    public let authnRequestsSigned: Bool
    /// SA-10: the first SingleLogoutService in a binding this IdP speaks (EndpointType:
    /// `Location`, and `ResponseLocation` when responses go elsewhere).
    public let singleLogout: SingleLogoutEndpoint?

    public struct SingleLogoutEndpoint: Sendable, Equatable {
        public let url: String
        public let responseURL: String?
        public let binding: SAMLBinding
    }
    public let wantAssertionsSigned: Bool

    /// Metadata documents are small; a huge one is a mistake or an attack.
    public static let maximumBytes = 256 * 1024

    public init(xml: String) throws {
        guard xml.utf8.count <= Self.maximumBytes else {
            throw SAMLError(.samlMetadataInvalid, detail: "metadata over \(Self.maximumBytes) bytes")
        }
        let root = try SafeXMLParser.parse(xml).root
        guard root.is("EntityDescriptor", XMLNamespace.metadata) else {
            throw SAMLError(
                .samlMetadataInvalid, field: root.localName,
                detail: "expected an md:EntityDescriptor (one SP's metadata), found \(root.localName)")
        }
        guard let entityID = root.attribute("entityID")?.trimmingCharacters(in: .whitespacesAndNewlines), !entityID.isEmpty else {
            throw SAMLError(.samlMetadataInvalid, field: "entityID", detail: "the EntityDescriptor has no entityID")
        }
        let descriptors = root.children("SPSSODescriptor", XMLNamespace.metadata).filter {
            ($0.attribute("protocolSupportEnumeration") ?? "").split(separator: " ").contains(Substring(XMLNamespace.samlp))
        }
        guard let descriptor = descriptors.first else {
            throw SAMLError(
                .samlMetadataInvalid, field: "SPSSODescriptor",
                detail: "no SPSSODescriptor supporting SAML 2.0: this is not a service provider's metadata")
        }
        struct Endpoint { let binding: String, location: String, index: Int, isDefault: Bool }
        var endpoints = [Endpoint]()
        for (position, element) in descriptor.children("AssertionConsumerService", XMLNamespace.metadata).enumerated() {
            guard let binding = element.attribute("Binding"), let location = element.attribute("Location"), !location.isEmpty else {
                throw SAMLError(
                    .samlMetadataInvalid, field: "AssertionConsumerService", detail: "every AssertionConsumerService needs Binding and Location")
            }
            // IndexedEndpointType: `index` is required, an unsigned short.
            guard let text = element.attribute("index"), let index = Int(text), (0...Int(UInt16.max)).contains(index) else {
                throw SAMLError(
                    .samlMetadataInvalid, field: "AssertionConsumerService", value: element.attribute("index") ?? "(none)",
                    detail: "AssertionConsumerService \(position + 1) needs an index: an unsigned short")
            }
            endpoints.append(Endpoint(binding: binding, location: location, index: index, isDefault: element.attribute("isDefault") == "true"))
        }
        let post = endpoints.filter { $0.binding == SAMLBinding.post.rawValue }.sorted { $0.index < $1.index }
        guard !post.isEmpty else {
            throw SAMLError(
                .samlMetadataInvalid, field: "AssertionConsumerService",
                detail: "no HTTP-POST AssertionConsumerService: this IdP sends Responses by HTTP-POST only")
        }
        if let twice = Dictionary(grouping: post, by: \.index).first(where: { $0.value.count > 1 }) {
            throw SAMLError(
                .samlMetadataInvalid, field: "AssertionConsumerService", value: String(twice.key), detail: "two AssertionConsumerServices share an index")
        }
        for endpoint in post {
            guard let url = URLComponents(string: endpoint.location), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw SAMLError(
                    .samlMetadataInvalid, field: "AssertionConsumerService", value: endpoint.location, detail: "an ACS Location is an absolute http(s) URL")
            }
        }
        self.entityID = entityID
        acsURLs = post.map(\.location).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        acsIndexes = post.map { ACSIndex(index: $0.index, url: $0.location) }
        defaultACSURL = (post.first { $0.isDefault } ?? post.first)?.location
        otherACSBindings = endpoints.filter { $0.binding != SAMLBinding.post.rawValue }.map(\.binding)
        // A KeyDescriptor without `use` serves both (SAML metadata §2.4.1.1).
        let keys = descriptor.children("KeyDescriptor", XMLNamespace.metadata)
        let signing = keys.first { ($0.attribute("use") ?? "signing") == "signing" }
        let encryption = keys.first { ($0.attribute("use") ?? "encryption") == "encryption" }
        signingCertificatePEM = try signing.flatMap(Self.certificatePEM)
        encryptionCertificatePEM = try encryption.flatMap(Self.certificatePEM)
        encryptionMethods = encryption?.children("EncryptionMethod", XMLNamespace.metadata).compactMap { $0.attribute("Algorithm") } ?? []
        authnRequestsSigned = descriptor.attribute("AuthnRequestsSigned") == "true"
        var endpoint: SingleLogoutEndpoint?
        for element in descriptor.children("SingleLogoutService", XMLNamespace.metadata) {
            guard let binding = element.attribute("Binding").flatMap(SAMLBinding.init(rawValue:)) else { continue }
            let location = element.attribute("Location") ?? ""
            let response = element.attribute("ResponseLocation")
            for url in [location] + (response.map { [$0] } ?? []) where !EndpointURL.isAbsoluteHTTP(url) {
                throw SAMLError(
                    .samlMetadataInvalid, field: "SingleLogoutService", value: url, detail: "SingleLogoutService locations are absolute http(s) URLs")
            }
            endpoint = SingleLogoutEndpoint(url: location, responseURL: response, binding: binding)
            break
        }
        singleLogout = endpoint
        wantAssertionsSigned = descriptor.attribute("WantAssertionsSigned") == "true"
    }

    private static func certificatePEM(_ keyDescriptor: XMLElement) throws -> String? {
        guard let base64 = keyDescriptor.firstChild("KeyInfo", XMLNamespace.dsig)?.firstChild("X509Data", XMLNamespace.dsig)?
            .firstChild("X509Certificate", XMLNamespace.dsig)?.text
        else { return nil }
        return try CertificateLoader.pem(of: CertificateLoader.certificate(base64DER: base64))
    }
}
