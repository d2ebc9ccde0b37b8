import AsyncHTTPClient
import Connectors
import Foundation
import Hummingbird
import IdentityCore
import SAML
import StrictYAML

/// SA-11: `POST /admin/v1/service-providers/saml-metadata` creates a SAML SP from its
/// metadata, as WSO2's "Metadata File" and "URL Configuration" options do:
///
/// - the EntityDescriptor itself (`Content-Type: application/samlmetadata+xml`,
///   `application/xml` or `text/xml`) with `?name=` for the new SP, or
/// - `{"name": …, "metadataURL": "https://…"}` (JSON or YAML), which the server fetches.
///
/// The SP gets the metadata's entity ID as issuer, its HTTP-POST ACS URLs (default first),
/// its signing certificate as application certificate, and request-signature validation
/// when it says `AuthnRequestsSigned="true"`; everything else keeps the defaults, to be
/// changed with `PUT` like any SP. Any refusal stores nothing.
extension AdminRoutes {
    static var metadataTypes: Set<String> { ["application/samlmetadata+xml", "application/xml", "text/xml"] }

    func addMetadataRoutes(to group: RouterGroup<Context>) {
        group.post("service-providers/saml-metadata") { request, _ in
            var request = request
            let (name, xml) = try await metadataSubmission(&request)
            let metadata = try ServiceProviderMetadata(xml: xml)
            let sp = ServiceProvider(
                name: name, certificate: metadata.signingCertificatePEM,
                sections: [
                    SAMLSettings(
                        issuer: metadata.entityID, acsURLs: metadata.acsURLs, defaultACSURL: metadata.defaultACSURL,
                        validateRequestSignatures: metadata.authnRequestsSigned, acsIndexes: metadata.acsIndexes,
                        encryptionCertificate: metadata.encryptionCertificatePEM,
                        encryptionMethods: metadata.encryptionMethods.isEmpty ? nil : metadata.encryptionMethods,
                        // Where its logout messages go; taking part in single logout stays the admin's choice.
                        sloRequestURL: metadata.singleLogout?.url, sloResponseURL: metadata.singleLogout?.responseURL,
                        sloBinding: metadata.singleLogout?.binding ?? .post)
                ])
            try runtime.validator.validate(sp)
            try await runtime.storage.serviceProviders.create(sp)
            return try json(sp, status: .created)
        }
    }

    /// The new SP's name and the metadata document, from either form of the request.
    private func metadataSubmission(_ request: inout Request) async throws -> (name: String, xml: String) {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let type, Self.metadataTypes.contains(type) {
            guard let name = try FormBody.query(request)["name"], !name.isEmpty else {
                throw RequestError(.requestMissingField, field: "name", detail: "name the new service provider: ?name=")
            }
            let body = try await FormBody.collect(&request, limit: ServiceProviderMetadata.maximumBytes)
            return (name, String(buffer: body))
        }
        let body = try await Self.document(&request, also: Self.metadataTypes)
        let reference = try StrictYAML.decode(MetadataReference.self, from: String(buffer: body), file: "request body")
        return (reference.name, try await fetchMetadata(reference.metadataURL))
    }

    /// GET a metadata URL: http(s) only, the server's upstream timeout over the whole
    /// exchange, at most
    /// ``ServiceProviderMetadata/maximumBytes``.
    private func fetchMetadata(_ url: String) async throws -> String {
        guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
            components.host?.isEmpty == false
        else {
            throw SAMLError(.samlMetadataUnreachable, field: "metadataURL", value: url, detail: "an absolute http(s) URL")
        }
        let seconds = runtime.settings.upstreamTimeoutSeconds
        let http = UpstreamHTTP(client: runtime.outboundClient, timeout: .seconds(seconds), maximumBody: ServiceProviderMetadata.maximumBytes)
        let answer: UpstreamHTTP.Answer
        do {
            answer = try await http.send("GET", url, headers: [("Accept", "application/samlmetadata+xml, application/xml")])
        } catch let error as ConnectorError {
            let detail = error.code == .connectorUpstreamTimeout ? "no answer within \(seconds) s" : "could not read the metadata: \(error.detail)"
            throw SAMLError(.samlMetadataUnreachable, field: "metadataURL", value: url, detail: detail)
        }
        guard answer.status == 200 else {
            throw SAMLError(.samlMetadataUnreachable, field: "metadataURL", value: url, detail: "the URL answered HTTP \(answer.status)")
        }
        return String(decoding: answer.body, as: UTF8.self)
    }
}

/// `{"name": …, "metadataURL": …}`: an SP to create from the metadata at a URL.
struct MetadataReference: Decodable {
    let name: String
    let metadataURL: String
    enum CodingKeys: String, CodingKey, CaseIterable { case name, metadataURL }
}
