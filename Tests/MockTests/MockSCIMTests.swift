import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import MockSupport
import Testing

/// The mock SCIM service as a developer or a provisioning client meets it: credentials,
/// what it stores and serves, the faults, and refusals of bad requests.
@Suite struct MockSCIMTests {
    static func service(_ faults: String = "") throws -> MockSCIMService {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scim-\(UUID().uuidString).yaml")
        try "kind: scim\nauthentication: bearer\ntoken: t0ken\n\(faults)".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        guard case .scim(let profile) = try PartyProfile.load(file) else { throw CancellationError() }
        return MockSCIMService(profile: profile, clock: FixedWallClock(Date(timeIntervalSince1970: 1_767_258_000)), random: SeededRandomSource(seed: 1))
    }

    static let bearer: HTTPFields = [.authorization: "Bearer t0ken", .contentType: "application/scim+json"]
    static let user = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob","password":"Bob-Secret-1","name":{"givenName":"Bob","familyName":"Brown"}}"#

    @Test func itStoresAndServesUsersAndGroupsAndRecordsEveryRequestWithoutThePassword() async throws {
        let mock = try Self.service()
        try await Application(router: mock.router()).test(.router) { client in
            let created = try await client.execute(uri: "/scim2/Users", method: .post, headers: Self.bearer, body: ByteBuffer(string: Self.user))
            #expect(created.status == .created && !String(buffer: created.body).contains("Bob-Secret-1"))
            let id = try #require(String(buffer: created.body).firstMatch(of: /"id":"([^"]+)"/)?.1)
            let group = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"sales","members":[{"value":"\#(id)"}]}"#
            #expect(try await client.execute(uri: "/scim2/Groups", method: .post, headers: Self.bearer, body: ByteBuffer(string: group)).status == .created)
            let found = try await client.execute(uri: "/scim2/Users?filter=userName%20eq%20%22BOB%22", method: .get, headers: Self.bearer)
            #expect(String(buffer: found.body).contains(#""totalResults":1"#))
            #expect(try await client.execute(uri: "/scim2/Users/\(id)", method: .delete, headers: Self.bearer).status == .noContent)
            let groups = try await client.execute(uri: "/scim2/Groups", method: .get, headers: Self.bearer)
            #expect(!String(buffer: groups.body).contains(String(id)), "a deleted user leaves its groups")
        }
        let first = try #require(mock.observations.first)
        #expect(first.method == "POST" && first.authorized && first.status == 201)
        #expect(first.body?.member("password") == .string("********"))
    }

    @Test func withoutTheTokenNothingIsReadOrWrittenAndBadRequestsAreRefusedInSCIMShape() async throws {
        let mock = try Self.service()
        try await Application(router: mock.router()).test(.router) { client in
            let anonymous = try await client.execute(uri: "/scim2/Users", method: .post, body: ByteBuffer(string: Self.user))
            #expect(anonymous.status == .unauthorized)
            let badFilter = try await client.execute(uri: "/scim2/Users?filter=userName%20eq", method: .get, headers: Self.bearer)
            #expect(badFilter.status == .badRequest && String(buffer: badFilter.body).contains("invalidFilter"))
            let notJSON = try await client.execute(uri: "/scim2/Users", method: .post, headers: Self.bearer, body: ByteBuffer(string: "{"))
            #expect(notJSON.status == .badRequest && String(buffer: notJSON.body).contains("invalidSyntax"))
            let fault = try await client.execute(
                uri: "/_mock/faults", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "slowSeconds=forever"))
            #expect(fault.status == .badRequest && String(buffer: fault.body).contains("mock.bad_option"))
            let users = try await client.execute(uri: "/scim2/Users", method: .get, headers: Self.bearer)
            #expect(String(buffer: users.body).contains(#""totalResults":0"#), "nothing refused was stored")
        }
        #expect(mock.observations.map(\.status) == [401, 400, 400, 200], "every SCIM request is recorded, refused ones too")
    }

    @Test func faultsMakeItUnavailableConflictingOrForgetful() async throws {
        let mock = try Self.service("faults: { unavailable: 1, retryAfter: 7, dropAttribute: name.familyName }")
        try await Application(router: mock.router()).test(.router) { client in
            let down = try await client.execute(uri: "/scim2/Users", method: .post, headers: Self.bearer, body: ByteBuffer(string: Self.user))
            #expect(down.status == .serviceUnavailable && down.headers[.retryAfter] == "7")
            let stored = try await client.execute(uri: "/scim2/Users", method: .post, headers: Self.bearer, body: ByteBuffer(string: Self.user))
            #expect(stored.status == .created)
            #expect(String(buffer: stored.body).contains("Bob") && !String(buffer: stored.body).contains("Brown"), "the dropped attribute is not kept")
            let again = try await client.execute(uri: "/scim2/Users", method: .post, headers: Self.bearer, body: ByteBuffer(string: Self.user))
            #expect(again.status == .conflict && String(buffer: again.body).contains("uniqueness"))
            _ = try await client.execute(
                uri: "/_mock/faults", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"conflict": true}"#))
            let other = Self.user.replacingOccurrences(of: "\"bob\"", with: "\"ann\"")
            #expect(try await client.execute(uri: "/scim2/Users", method: .post, headers: Self.bearer, body: ByteBuffer(string: other)).status == .conflict)
        }
    }
}
