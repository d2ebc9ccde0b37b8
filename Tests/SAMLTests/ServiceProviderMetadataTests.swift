import Foundation
import IdentityCore
import SAML
import Testing
import XMLSecurity

/// SA-11: reading an SP's metadata into what registering it needs.
@Suite struct ServiceProviderMetadataTests {
    static func code(_ xml: String) -> String? {
        do {
            _ = try ServiceProviderMetadata(xml: xml)
            return nil
        } catch let error as any CodedError {
            return error.code.rawValue
        } catch {
            return "\(error)"
        }
    }

    @Test func metadataWrittenForAnSPReadsBackAsThatSP() throws {
        let credential = Fixtures.credential("sp-rsa")
        let xml = SAMLMetadata.serviceProvider(
            entityID: "https://sp.example", acsURLs: [Fixtures.acs, Fixtures.secondACS], certificate: credential, signsRequests: true)
        let metadata = try ServiceProviderMetadata(xml: xml)
        #expect(metadata.entityID == "https://sp.example")
        #expect(metadata.acsURLs == [Fixtures.acs, Fixtures.secondACS])
        #expect(metadata.defaultACSURL == Fixtures.acs)
        #expect(metadata.authnRequestsSigned)
        let certificate = try #require(metadata.signingCertificatePEM)
        #expect(try CertificateLoader.certificate(pem: certificate) == CertificateLoader.certificate(pem: Fixtures.pem("sp-rsa.crt")))
    }

    /// SA-10: the SP's single logout endpoint, where its logout messages go.
    @Test func theSingleLogoutServiceIsReadAndARelativeOneRefused() throws {
        let xml = SAMLMetadata.serviceProvider(
            entityID: "https://sp.example", acsURLs: [Fixtures.acs], sloURL: "https://sp.example/slo", certificate: nil, signsRequests: false)
        let metadata = try ServiceProviderMetadata(xml: xml)
        #expect(metadata.singleLogout?.url == "https://sp.example/slo")
        #expect(metadata.singleLogout?.responseURL == nil)
        #expect(metadata.singleLogout?.binding == .redirect)
        #expect(Self.code(xml.replacingOccurrences(of: "https://sp.example/slo", with: "/slo")) == "saml.metadata_invalid")
    }

    /// The shape of WSO2's sample: an encryption key before the signing one, endpoints out
    /// of index order, an artifact endpoint, an explicit default.
    @Test func theSigningKeyThePOSTEndpointsInIndexOrderAndTheMarkedDefaultAreTaken() throws {
        let base64 = Fixtures.credential("sp-rsa").certificateBase64
        let other = Fixtures.credential("attacker-rsa").certificateBase64
        let xml = """
            <?xml version="1.0"?>
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="travelocity.com">
              <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\(other)</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\(base64)</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs/b" index="2" isDefault="true"/>
                <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example/artifact" index="0"/>
                <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs/a" index="1"/>
              </md:SPSSODescriptor>
            </md:EntityDescriptor>
            """
        let metadata = try ServiceProviderMetadata(xml: xml)
        #expect(metadata.entityID == "travelocity.com")
        #expect(metadata.acsURLs == ["https://sp.example/acs/a", "https://sp.example/acs/b"])
        #expect(metadata.defaultACSURL == "https://sp.example/acs/b")
        #expect(metadata.otherACSBindings == ["urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"])
        #expect(!metadata.authnRequestsSigned)
        #expect(metadata.wantAssertionsSigned)
        let certificate = try #require(metadata.signingCertificatePEM)
        #expect(try CertificateLoader.certificate(pem: certificate) == CertificateLoader.certificate(pem: Fixtures.pem("sp-rsa.crt")))
        // SA-3: each endpoint keeps its own index; the encryption key is kept too.
        #expect(metadata.acsIndexes == [ACSIndex(index: 1, url: "https://sp.example/acs/a"), ACSIndex(index: 2, url: "https://sp.example/acs/b")])
        let encryption = try #require(metadata.encryptionCertificatePEM)
        #expect(try CertificateLoader.certificate(pem: encryption) == CertificateLoader.certificate(pem: Fixtures.pem("attacker-rsa.crt")))
    }

    @Test func encryptionMethodsAndIndexesFromOneAreRead() throws {
        let xml = SAMLMetadata.serviceProvider(
            entityID: "https://sp.example", acsURLs: [Fixtures.acs, Fixtures.secondACS], certificate: Fixtures.credential("sp-rsa"),
            signsRequests: false, firstIndex: 1,
            encryptionMethods: ["http://www.w3.org/2009/xmlenc11#aes256-gcm", "http://www.w3.org/2009/xmlenc11#rsa-oaep"])
        let metadata = try ServiceProviderMetadata(xml: xml)
        #expect(metadata.acsIndexes == [ACSIndex(index: 1, url: Fixtures.acs), ACSIndex(index: 2, url: Fixtures.secondACS)])
        #expect(metadata.encryptionMethods == ["http://www.w3.org/2009/xmlenc11#aes256-gcm", "http://www.w3.org/2009/xmlenc11#rsa-oaep"])
        #expect(metadata.encryptionCertificatePEM != nil)
    }

    @Test func anACSWithoutAnIndexOrTwoWithOneIndexAreRefused() {
        let endpoint = #"<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs"%@/>"#
        for body in [endpoint.replacingOccurrences(of: "%@", with: ""),
                     endpoint.replacingOccurrences(of: "%@", with: #" index="1""#) + endpoint.replacingOccurrences(of: "%@", with: #" index="1""#)] {
            let xml = """
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="sp">
                <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\(body)</md:SPSSODescriptor></md:EntityDescriptor>
                """
            #expect(Self.code(xml) == "saml.metadata_invalid")
        }
    }

    @Test func documentsThatDoNotDescribeAUsableSPAreRefusedWithTheirCodes() {
        let md = #"xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata""#
        let proto = #"protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol""#
        let post = #"<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs" index="0"/>"#
        let cases: [(String, String)] = [
            ("<md:EntityDescriptor \(md) entityID=\"x\"><md:IDPSSODescriptor \(proto)/></md:EntityDescriptor>", "saml.metadata_invalid"),
            ("<md:EntityDescriptor \(md)><md:SPSSODescriptor \(proto)>\(post)</md:SPSSODescriptor></md:EntityDescriptor>", "saml.metadata_invalid"),
            ("<md:EntityDescriptor \(md) entityID=\"x\"><md:SPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:1.1:protocol\">\(post)</md:SPSSODescriptor></md:EntityDescriptor>", "saml.metadata_invalid"),
            ("<md:EntityDescriptor \(md) entityID=\"x\"><md:SPSSODescriptor \(proto)><md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact\" Location=\"https://sp.example/a\" index=\"0\"/></md:SPSSODescriptor></md:EntityDescriptor>", "saml.metadata_invalid"),
            ("<md:EntityDescriptor \(md) entityID=\"x\"><md:SPSSODescriptor \(proto)><md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"javascript:alert(1)\" index=\"0\"/></md:SPSSODescriptor></md:EntityDescriptor>", "saml.metadata_invalid"),
            ("<md:EntitiesDescriptor \(md)/>", "saml.metadata_invalid"),
            ("<!DOCTYPE md:EntityDescriptor [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><md:EntityDescriptor \(md) entityID=\"&x;\"/>", "xml.dtd_forbidden"),
            ("{\"not\": \"xml\"}", "xml.malformed"),
            ("<md:EntityDescriptor \(md) entityID=\"x\"><md:SPSSODescriptor \(proto)><md:KeyDescriptor><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data><ds:X509Certificate>bm90IGEgY2VydA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\(post)</md:SPSSODescriptor></md:EntityDescriptor>", "certificate.malformed"),
        ]
        for (xml, expected) in cases {
            #expect(Self.code(xml) == expected, "\(xml.prefix(120))")
        }
    }
}
