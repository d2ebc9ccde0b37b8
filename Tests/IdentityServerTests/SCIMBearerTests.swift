import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import OIDC
import SCIM
import Testing

/// `/scim2` with this server's own bearer tokens (PR-1): scopes granted only to clients
/// that list them, read versus write, and a person's own `/Me`.
@Suite struct SCIMBearerTests {
    static let operator_ = OIDCSettings(
        clientID: "hr-system", clientSecretHash: ClientSecret.hash("hr-secret"), callbackURLs: ["https://hr.test/cb"],
        grantTypes: [.clientCredentials, .password], managementScopes: ["scim:read", "scim:write", "scim:me"])
    static let ordinary = OIDCSettings(
        clientID: "other-app", clientSecretHash: ClientSecret.hash("other-secret"), callbackURLs: ["https://other.test/cb"],
        grantTypes: [.clientCredentials])

    func server() async throws -> TestServer {
        let server = try await TestServer()
        try await server.runtime.storage.serviceProviders.create(ServiceProvider(name: "hr", sections: [Self.operator_]))
        try await server.runtime.storage.serviceProviders.create(ServiceProvider(name: "other", sections: [Self.ordinary]))
        return server
    }

    /// A token for `client`, and the scope it was granted.
    func token(_ client: some TestClientProtocol, _ fields: [String: String], id: String, secret: String) async throws -> (String, String) {
        let headers: HTTPFields = [
            .contentType: "application/x-www-form-urlencoded", .authorization: "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString(),
        ]
        let response = try await client.execute(uri: "/oauth2/token", method: .post, headers: headers, body: form(fields))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        return (try #require(json["access_token"] as? String), json["scope"] as? String ?? "")
    }

    func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String, body: String? = nil) async throws
        -> TestResponse
    {
        var headers: HTTPFields = [.authorization: "Bearer " + token]
        if body != nil { headers[.contentType] = "application/scim+json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    static let dana = #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "dana", "password": "Dana-Secret-123"}"#

    @Test func onlyAClientThatListsTheScopesGetsThemAndReadIsNotWrite() async throws {
        let server = try await server()
        try await server.application.test(.router) { client in
            let (reader, readScope) = try await token(
                client, ["grant_type": "client_credentials", "scope": "scim:read"], id: "hr-system", secret: "hr-secret")
            #expect(readScope == "scim:read")
            #expect(try await call(client, .get, "/scim2/Users", token: reader).status == .ok)
            let refused = try await call(client, .post, "/scim2/Users", token: reader, body: Self.dana)
            #expect(refused.status == .forbidden && refused.text.contains("scim.forbidden"))
            #expect(refused.headers[.wwwAuthenticate]?.contains("insufficient_scope") == true)
            #expect(try await server.runtime.storage.users.find(username: "dana", tenant: Tenant.superTenant) == nil)

            let (writer, _) = try await token(client, ["grant_type": "client_credentials", "scope": "scim:write"], id: "hr-system", secret: "hr-secret")
            #expect(try await call(client, .post, "/scim2/Users", token: writer, body: Self.dana).status == .created)

            // Asking is not enough: a client that does not list them gets none of them.
            let (other, otherScope) = try await token(
                client, ["grant_type": "client_credentials", "scope": "scim:read scim:write"], id: "other-app", secret: "other-secret")
            #expect(otherScope.isEmpty)
            #expect(try await call(client, .get, "/scim2/Users", token: other).status == .forbidden)
            // An application's token is nobody's: no /Me with it.
            #expect(try await call(client, .get, "/scim2/Me", token: writer).status == .forbidden)
            #expect(try await call(client, .get, "/scim2/Users", token: "not-a-token").status == .unauthorized)
        }
    }

    @Test func aScopeCountsOnlyWhileTheClientStillListsItAndNoClaimScopeTakesItsName() async throws {
        let server = try await server()
        try await server.application.test(.router) { client in
            let (writer, _) = try await token(client, ["grant_type": "client_credentials", "scope": "scim:write"], id: "hr-system", secret: "hr-secret")
            #expect(try await call(client, .get, "/scim2/Users", token: writer).status == .ok)
            _ = try await server.runtime.storage.serviceProviders.update(name: "hr") { old in
                var new = old
                new.oidc?.managementScopes = []
                return new
            }
            #expect(try await call(client, .get, "/scim2/Users", token: writer).status == .forbidden, "the token outlived the permission")
            let squat = try await client.execute(
                uri: "/admin/v1/oidc-scopes/scim:write", method: .put,
                headers: [.authorization: SCIMServiceTests.admin, .contentType: "application/json"], body: ByteBuffer(string: #"{"claims": []}"#))
            #expect(squat.status == .badRequest, "a claim scope named like a management scope would hand it to every client")
        }
    }

    @Test func twoPatchesOfOneGroupAtOnceEachAddTheirMember() async throws {
        let server = try await server()
        for name in ["m1", "m2", "m3", "m4"] { try await server.runtime.storage.users.create(User(id: "u-\(name)", username: name)) }
        try await server.application.test(.router) { client in
            let created = try await client.execute(
                uri: "/scim2/Groups", method: .post, headers: [.authorization: SCIMServiceTests.admin, .contentType: "application/scim+json"],
                body: ByteBuffer(string: #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "crew"}"#))
            #expect(created.status == .created)
            func add(_ id: String) async throws -> HTTPResponse.Status {
                let body = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "members", "value": [{"value": "\#(id)"}]}]}"#
                return try await client.execute(
                    uri: "/scim2/Groups/crew", method: .patch, headers: [.authorization: SCIMServiceTests.admin, .contentType: "application/scim+json"],
                    body: ByteBuffer(string: body)).status
            }
            async let a = add("u-m1")
            async let b = add("u-m2")
            async let c = add("u-m3")
            async let d = add("u-m4")
            #expect(try await [a, b, c, d] == [.ok, .ok, .ok, .ok])
        }
        for name in ["m1", "m2", "m3", "m4"] {
            #expect(try await server.runtime.storage.users.get(id: "u-\(name)").roles == ["crew"], "\(name) kept the role")
        }
    }

    @Test func aPersonReadsAndChangesTheirOwnAccountAtMeButNotItsLock() async throws {
        let server = try await server()
        try await server.application.test(.router) { client in
            let (mine, scope) = try await token(
                client, ["grant_type": "password", "username": "alice", "password": "alice-password", "scope": "openid scim:me"],
                id: "hr-system", secret: "hr-secret")
            #expect(scope.split(separator: " ").contains("scim:me"))
            let me = try await call(client, .get, "/scim2/Me", token: mine)
            #expect(me.status == .ok && me.text.contains("\"userName\": \"alice\"") && !me.text.contains("password"))
            #expect(me.headers[.contentLocation]?.hasSuffix("/scim2/Users/u-alice") == true)
            let patch = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "name.givenName", "value": "Ally"}]}"#
            #expect(try await call(client, .patch, "/scim2/Me", token: mine, body: patch).status == .ok)
            #expect(try await server.runtime.storage.users.get(id: "u-alice").claims[LocalClaims.givenName] == "Ally")
            let lock = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": false}]}"#
            let refused = try await call(client, .patch, "/scim2/Me", token: mine, body: lock)
            #expect(refused.status == .badRequest && refused.text.contains("scim.mutability"))
            #expect(try await server.runtime.storage.users.get(id: "u-alice").locked == false)
            // The person's token opens /Me only, not the other users.
            #expect(try await call(client, .get, "/scim2/Users", token: mine).status == .forbidden)
            let password = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "password", "value": "Taken-Over-123"}]}"#
            let noPassword = try await call(client, .patch, "/scim2/Me", token: mine, body: password)
            #expect(noPassword.status == .badRequest && noPassword.text.contains("scim.mutability"), "a bearer token is no proof of the password")
            _ = try await server.runtime.storage.users.update(id: "u-alice") { old in
                var new = old
                new.locked = true
                return new
            }
            #expect(try await call(client, .get, "/scim2/Me", token: mine).status == .unauthorized, "a locked account's token opens nothing")
            // Admin credentials name no account: /Me needs a person's token.
            let admin = try await client.execute(uri: "/scim2/Me", method: .get, headers: [.authorization: SCIMServiceTests.admin])
            #expect(admin.status == .unauthorized)
        }
    }
}
