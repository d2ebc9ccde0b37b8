import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityServer
import IdentityStorage
import Logging
import SAML
import XMLSecurity

/// An identity server on a fixed clock with a seeded random source, in-memory storage,
/// the test-only keys and one SAML service provider, for in-process HTTP tests.
struct TestServer {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let keys = root.appendingPathComponent("Mocks/keys")
    static let start = Date(timeIntervalSince1970: 1_767_258_000)

    let runtime: ServerRuntime
    let clock = FixedWallClock(TestServer.start)

    /// What the server logged.
    let log = LogCapture()

    init(settings: ServerSettings = TestServer.settings) async throws {
        let credentials = try ServerCredentials(files: settings.keys, relativeTo: Self.keys)
        runtime = try await ServerRuntime.create(
            settings: settings, credentials: credentials, storage: Storage.inMemory(), clock: clock, random: SeededRandomSource(seed: 7),
            logger: log.logger)
        try await runtime.storage.serviceProviders.create(Self.serviceProvider)
        try await runtime.storage.users.create(
            User(id: "u-alice", username: "alice", passwordHash: runtime.hasher.hash("alice-password"), claims: [LocalClaims.emailAddress: "alice@example.com"]))
    }

    static var settings: ServerSettings {
        ServerSettings(
            baseURL: "https://idp.test", passwordIterations: 1_000,
            keys: .init(rsa: .init(privateKey: "server-rsa.key", certificate: "server-rsa.crt"), ec: nil),
            admin: .init(username: "admin", password: "s3cret"))
    }

    static let serviceProvider = ServiceProvider(
        name: "travelocity", certificate: try! String(contentsOf: keys.appendingPathComponent("sp-rsa.crt"), encoding: .utf8),
        sections: [SAMLSettings(issuer: "travelocity.com", acsURLs: ["https://sp.test/acs"])])

    var application: some ApplicationProtocol { IdentityServerApplication.application(runtime) }

    /// An AuthnRequest from the test SP over HTTP-Redirect, as a request URI.
    func redirectRequestURI(acs: String? = nil, issuer: String = "travelocity.com", relayState: String? = nil) throws -> String {
        let request = AuthnRequest(
            id: "_req1", issueInstant: clock.now, issuer: issuer, destination: "https://idp.test/samlsso", assertionConsumerServiceURL: acs)
        return "/samlsso?" + (try RedirectBinding.encode(request.tree.serialized(), parameter: "SAMLRequest", relayState: relayState))
    }

    func flowCount() async throws -> Int { try await runtime.storage.flows.count() }
}

/// Cookies across requests of one test "browser".
struct CookieJar {
    var cookies: [String: String] = [:]

    var header: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    mutating func take(_ response: TestResponse) {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The error code an error page shows.
    var errorCode: String? {
        guard let range = text.range(of: #"data-observe="error.code">"#) else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "<" })
    }

    /// The value of a hidden form field.
    func field(_ name: String) -> String? {
        guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }
}

func form(_ fields: [String: String]) -> ByteBuffer {
    ByteBuffer(string: URLEncoding.query(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
}

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
