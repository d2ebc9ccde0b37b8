import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import MockSupport
import StrictYAML
import Testing
import XMLSecurity

/// A developer who drives a mock wrongly hears which switch or profile field was wrong —
/// a 400 naming it, never a bare 500 — and the mock keeps the state it had.
@Suite struct MockRefusalsTests {
    static let mocks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Mocks")

    func identityProvider(_ name: String, overrides: ConfigValue? = nil) async throws -> MockIdentityProvider {
        let file = Self.mocks.appendingPathComponent("idps/\(name).yaml")
        guard case .idp(let profile) = try PartyProfile.load(file, overrides: overrides) else { throw MockError(.mockProfileInvalid, detail: "not an IdP") }
        return try await MockIdentityProvider(
            profile: profile, directory: file.deletingLastPathComponent(),
            placeholders: Placeholders(values: ["server": "http://127.0.0.1:1"], baseDirectory: file.deletingLastPathComponent()),
            clock: FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000)), random: SeededRandomSource(seed: 1))
    }

    static func json(_ response: TestResponse) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))) ?? [:]
    }

    @Test func anUnknownFaultIsRefusedByNameAndTheFaultsInForceStay() async throws {
        let idp = try await identityProvider("partner-oidc")
        let app = Application(router: idp.router())
        try await app.test(.router) { client in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let set = try await client.execute(uri: "/_mock/faults", method: .post, headers: form, body: ByteBuffer(string: "faults=expired"))
            #expect(set.status == .ok)
            let refused = try await client.execute(uri: "/_mock/faults", method: .post, headers: form, body: ByteBuffer(string: "faults=bad-nonce,xsw9"))
            #expect(refused.status == .badRequest)
            #expect(refused.headers[.contentType] == "application/json")
            let body = Self.json(refused)
            #expect(body["error"] == "mock.bad_option")
            #expect(body["field"] == "faults")
            #expect(body["value"] == "xsw9")
            #expect(body["detail"]?.contains("no such fault") == true)
            let now = try await client.execute(uri: "/_mock/faults", method: .get)
            #expect(String(buffer: now.body).contains("\"expired\""))
            #expect(!String(buffer: now.body).contains("bad-nonce"))
        }
    }

    @Test func aTestUserIsAddedOnceAndABodyThatIsNoneIsRefused() async throws {
        let idp = try await identityProvider("partner-oidc")
        try await Application(router: idp.router()).test(.router) { client in
            let user = ByteBuffer(string: #"{"username":"twice","id":"t-1","claims":{"email":"t@example.com"}}"#)
            let json: HTTPFields = [.contentType: "application/json"]
            #expect(try await client.execute(uri: "/_mock/users", method: .post, headers: json, body: user).status == .created)
            let again = try await client.execute(uri: "/_mock/users", method: .post, headers: json, body: user)
            #expect(again.status == .badRequest)
            #expect(Self.json(again)["error"] == "mock.bad_option")
            #expect(Self.json(again)["value"] == "twice")
            let notAUser = try await client.execute(uri: "/_mock/users", method: .post, headers: json, body: ByteBuffer(string: #"{"name":"x"}"#))
            #expect(notAUser.status == .badRequest)
            #expect(Self.json(notAUser)["field"] == "body")
            let listed = try await client.execute(uri: "/_mock/users", method: .get)
            #expect(String(buffer: listed.body).components(separatedBy: "twice").count == 2, "one user named twice")
        }
    }

    @Test func aProfileOfNoKindTheMocksSpeakIsRefusedByField() throws {
        let file = Self.mocks.appendingPathComponent("sps/travelocity.yaml")
        #expect(throws: MockError(.mockProfileInvalid, detail: "")) {
            try PartyProfile.load(file, overrides: .object([("kind", .string("ws-federation"))]))
        }
    }

    @Test func aMockIdPWithAnECSigningKeyIsRefused() async throws {
        let ec = ConfigValue.object([("privateKey", .string("../keys/server-ec.key")), ("certificate", .string("../keys/server-ec.crt"))])
        await #expect(throws: MockError(.mockProfileInvalid, detail: "")) {
            try await identityProvider("partner-saml", overrides: .object([("signing", ec)]))
        }
    }

    /// A mock SP whose certificate is not its key's would publish, in its metadata and
    /// KeyInfo, a certificate its signed requests do not verify with: it does not start.
    @Test func aMockSPWhoseCertificateIsNotItsKeysIsRefusedByField() throws {
        let file = Self.mocks.appendingPathComponent("sps/travelocity.yaml")
        let mixed = ConfigValue.object([("privateKey", .string("../keys/sp-rsa.key")), ("certificate", .string("../keys/attacker-rsa.crt"))])
        let placeholders = Placeholders(values: ["server": "http://127.0.0.1:1"], baseDirectory: file.deletingLastPathComponent())
        #expect {
            try ResolvedSPProfile(SPProfile.load(file, overrides: .object([("signing", mixed)])), directory: file.deletingLastPathComponent(), placeholders: placeholders)
        } throws: { error in
            (error as? MockError)?.code == .mockProfileInvalid && (error as? MockError)?.field == "certificate"
        }
        // The profile as shipped starts.
        #expect(try ResolvedSPProfile(SPProfile.load(file), directory: file.deletingLastPathComponent(), placeholders: placeholders).signing.certificateIsTheKeys)
    }
}
