import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import SCIM
import Testing

/// The SCIM service provider over HTTP (PR-1): versions (ETag, If-Match, If-None-Match),
/// authentication, and what no answer may carry.
@Suite struct SCIMServiceTests {
    static let admin = "Basic " + Data("admin:s3cret".utf8).base64EncodedString()

    func request(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, body: String? = nil,
        headers extra: HTTPFields = [:], authorization: String? = SCIMServiceTests.admin
    ) async throws -> TestResponse {
        var headers = extra
        if let authorization { headers[.authorization] = authorization }
        if body != nil { headers[.contentType] = "application/scim+json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    static let bob = #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bob", "password": "Bob-Secret-123", "name": {"givenName": "Bob"}}"#

    @Test func aStaleVersionIsRefusedAndAFreshOneChangesTheUser() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let created = try await request(client, .post, "/scim2/Users", body: Self.bob)
            #expect(created.status == .created)
            let etag = try #require(created.headers[.eTag])
            #expect(created.headers[.location]?.contains("/scim2/Users/") == true)
            #expect(!created.text.contains("Bob-Secret-123") && !created.text.contains("pbkdf2") && !created.text.contains("password"))
            let id = try #require(try JSONDecoder().decode(SCIMValue.self, from: Data(buffer: created.body)).member("id")?.stringValue)

            let unchanged = try await request(client, .get, "/scim2/Users/\(id)", headers: [.ifNoneMatch: etag])
            #expect(unchanged.status == .notModified)

            let renamed = Self.bob.replacingOccurrences(of: #""givenName": "Bob""#, with: #""givenName": "Robert""#)
            let replaced = try await request(client, .put, "/scim2/Users/\(id)", body: renamed, headers: [.ifMatch: etag])
            #expect(replaced.status == .ok)
            #expect(replaced.headers[.eTag] != etag)

            let stale = try await request(client, .put, "/scim2/Users/\(id)", body: Self.bob, headers: [.ifMatch: etag])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.text.contains("scim.precondition_failed"))
            let stored = try await server.runtime.storage.users.get(id: id)
            #expect(stored.claims[LocalClaims.givenName] == "Robert", "a refused request changes nothing")

            let renamedAccount = Self.bob.replacingOccurrences(of: #""userName": "bob""#, with: #""userName": "robert""#)
            let immutable = try await request(client, .put, "/scim2/Users/\(id)", body: renamedAccount)
            #expect(immutable.status == .badRequest && immutable.text.contains("scim.mutability") && immutable.text.contains("\"mutability\""))

            let missing = try await request(client, .get, "/scim2/Users/no-such-id")
            #expect(missing.status == .notFound && missing.text.contains("urn:ietf:params:scim:api:messages:2.0:Error"))
        }
    }

    @Test func aBulkRequestOverTheMaximumPayloadIsRefusedWholeWithSCIMs413() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            // One operation holding a 1.1 MB value: over bulk.maxPayloadSize (1 MiB).
            let big = String(repeating: "x", count: 1_100_000)
            let body = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [{"method": "POST", "path": "/Users", "bulkId": "a", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "huge", "nickName": "\#(big)"}}]}"#
            let answer = try await request(client, .post, "/scim2/Bulk", body: body)
            #expect(answer.status == .contentTooLarge)
            #expect(answer.text.contains("scim.too_large") && answer.text.contains("urn:ietf:params:scim:api:messages:2.0:Error"))
            #expect(try await server.runtime.storage.users.find(username: "huge", tenant: Tenant.superTenant) == nil, "nothing ran")
        }
    }

    @Test func aSearchWithTheSmallestIntegerAsItsCountIsRefusedNotATrap() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            for path in ["/scim2/Users/.search", "/scim2/.search", "/scim2/Groups/.search"] {
                let body = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "count": -9223372036854775808}"#
                let answer = try await request(client, .post, path, body: body)
                #expect(answer.status == .badRequest && answer.text.contains("scim.invalid_value"), "\(path)")
            }
        }
    }

    @Test func withoutTheAdminCredentialsNothingIsReadOrWritten() async throws {
        let server = try await TestServer()
        try await server.application.test(.router) { client in
            let anonymous = try await request(client, .get, "/scim2/Users", authorization: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            let wrong = try await request(
                client, .post, "/scim2/Users", body: Self.bob, authorization: "Basic " + Data("admin:wrong".utf8).base64EncodedString())
            #expect(wrong.status == .unauthorized && wrong.text.contains("scim.unauthorized"))
            #expect(try await server.runtime.storage.users.find(username: "bob", tenant: Tenant.superTenant) == nil)
            let notJSON = try await request(client, .post, "/scim2/Users", body: "<user/>")
            #expect(notJSON.status == .badRequest && notJSON.text.contains("invalidSyntax"))
        }
    }
}
