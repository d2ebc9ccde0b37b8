import AuthFramework
import Foundation
import Hummingbird
import IdentityCore
import IdentityStorage
import SCIM

/// The SCIM 2.0 service provider (PR-1, RFC 7643/7644) at `/scim2`, as WSO2 exposes it:
/// Users (create, read, replace, patch, delete, list and search with filters, sorting, paging and
/// attribute selection), the discovery endpoints (ServiceProviderConfig, ResourceTypes,
/// Schemas), and — in the extensions beside this file — Groups, Bulk and /Me. Who may call
/// it is ``SCIMAuthentication``'s. A user made here is the same record the admin API and
/// JIT provisioning make: the same username rules, password policy and user stores.
struct SCIMRoutes<Context: ClientAddressRequestContext>: Sendable {
    let runtime: ServerRuntime

    /// Made once: the dialect is fixed for the server's life.
    let schemas: SCIMUserSchemas

    init(runtime: ServerRuntime) {
        self.runtime = runtime
        self.schemas = SCIMUserSchemas(dialect: runtime.settings.dialect)
    }
    var base: String { runtime.baseURL.appending("/scim2") }

    func addRoutes(to router: Router<Context>) {
        let group = router.group("scim2").add(middleware: SCIMAuthentication<Context>(runtime: runtime))
        group.get("ServiceProviderConfig") { _, _ in try SCIMHTTP.answer(serviceProviderConfig()) }
        group.get("ResourceTypes") { _, _ in
            try SCIMHTTP.answer(SCIMQuery.listAll([userResourceType(), groupResourceType()]))
        }
        group.get("ResourceTypes/User") { _, _ in try SCIMHTTP.answer(userResourceType()) }
        group.get("ResourceTypes/Group") { _, _ in try SCIMHTTP.answer(groupResourceType()) }
        group.get("ResourceTypes/:id") { _, context -> Response in
            throw SCIMError(.scimNotFound, value: try context.parameters.decoded("id"), detail: "no such resource type (User, Group)")
        }
        // RFC 7644 §3.4.3: a search at the root is over every resource type.
        group.post(".search") { request, _ in
            var request = request
            return try await searchAll(SCIMHTTP.searchParameters(try await SCIMHTTP.body(&request)))
        }
        let allSchemas = schemas.all + SCIMGroups.schemas.all
        group.get("Schemas") { _, _ in try SCIMHTTP.answer(SCIMQuery.listAll(allSchemas.map { $0.representation(location: base) })) }
        group.get("Schemas/:id") { _, context in
            let id = try context.parameters.decoded("id")
            guard let schema = allSchemas.first(where: { $0.id == id }) else { throw SCIMError(.scimNotFound, value: id, detail: "no such schema") }
            return try SCIMHTTP.answer(schema.representation(location: base))
        }
        group.get("Users") { request, _ in try await list(SCIMQuery(parameters: FormBody.query(request), schemas: schemas)) }
        group.post("Users/.search") { request, _ in
            var request = request
            return try await list(SCIMQuery(parameters: SCIMHTTP.searchParameters(try await SCIMHTTP.body(&request)), schemas: schemas))
        }
        group.post("Users") { request, _ in
            var request = request
            return try await create(SCIMUserMapping(schemas: schemas).input(from: try await SCIMHTTP.body(&request))).response()
        }
        group.get("Users/:id") { request, context in
            let user = try await user(context.parameters.decoded("id"))
            let (resource, etag) = representation(user)
            if let match = request.headers[.ifNoneMatch], match == etag { return Response(status: .notModified, headers: [.eTag: etag]) }
            return try SCIMHTTP.answer(SCIMQuery(parameters: FormBody.query(request), schemas: schemas).project(resource, schemas: schemas), etag: etag)
        }
        group.put("Users/:id") { request, context in
            var request = request
            let id = try context.parameters.decoded("id")
            let input = try SCIMUserMapping(schemas: schemas).input(from: try await SCIMHTTP.body(&request))
            return try await replace(id, with: input, ifMatch: request.headers[.ifMatch]).response()
        }
        group.patch("Users/:id") { request, context in
            var request = request
            let id = try context.parameters.decoded("id")
            return try await patchUser(id, try await SCIMHTTP.body(&request), ifMatch: request.headers[.ifMatch]).response()
        }
        group.delete("Users/:id") { request, context in
            try await deleteUser(try context.parameters.decoded("id"), ifMatch: request.headers[.ifMatch]).response()
        }
        addGroupRoutes(to: group)
        addBulkRoute(to: group)
        addMeRoutes(to: group)
        // The discovery endpoints are read-only (RFC 7644 §4); anything else under /scim2
        // is a SCIM 404, in SCIM's error shape like every other refusal here.
        for path in ["ServiceProviderConfig", "ResourceTypes", "ResourceTypes/User", "ResourceTypes/Group", "ResourceTypes/:id", "Schemas", "Schemas/:id"] {
            for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
                group.on(RouterPath(path), method: method) { request, _ -> Response in
                    var response = try SCIMAuthentication<Context>.error(
                        SCIMError(.scimMethodNotAllowed, value: request.method.rawValue, detail: "\(request.uri.path) is read-only: GET it"))
                    response.headers[.allow] = "GET"  // RFC 9110 §15.5.6
                    return response
                }
            }
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            group.on("**", method: method) { request, _ -> Response in
                throw SCIMError(.scimNotFound, value: request.uri.path, detail: "no such SCIM endpoint")
            }
        }
    }

    // MARK: Users

    func representation(_ user: User) -> (SCIMValue, String) {
        SCIMUserMapping.versioned(
            SCIMUserMapping(schemas: schemas).resource(user, location: base + "/Users/" + user.id, groupID: Self.groupID))
    }

    /// A group's id is its role name (roles are the groups; see README).
    static func groupID(_ role: String) -> String { role }

    func user(_ id: String) async throws -> User {
        let found: User
        do {
            found = try await runtime.storage.users.get(id: id)
        } catch {
            guard error.code == .storageNotFound else { throw error }
            throw SCIMError(.scimNotFound, value: id, detail: "no such user")
        }
        guard found.tenant == Tenant.superTenant else { throw SCIMError(.scimNotFound, value: id, detail: "no such user") }
        return found
    }

    /// A root search (RFC 7644 §3.4.3): Users and Groups in one list, matched by one filter
    /// over the attributes of both (an attribute one type lacks matches none of it).
    func searchAll(_ parameters: [String: String]) async throws -> Response {
        let combined = SCIMCombinedSchemas(users: schemas, groups: SCIMGroups.schemas)
        let query = try SCIMQuery(parameters: parameters, schemas: combined)
        let users = try await runtime.storage.users.list().filter { $0.tenant == Tenant.superTenant }.sorted { $0.id < $1.id }
        let external = try await groupExternalIDs()
        let resources = users.map { representation($0).0 }
            + (try await allGroups()).map { groupResource($0.name, $0.members, externalID: external[$0.name]) }
        let evaluator = SCIMFilterEvaluator(coreSchema: SCIMSchemaURN.user) { path in combined.definition(of: path)?.caseExact ?? false }
        let (total, page) = query.run(resources, evaluator: evaluator, schemas: combined)
        return try SCIMHTTP.answer(query.listResponse(total: total, page: page))
    }

    func list(_ query: SCIMQuery) async throws -> Response {
        let users = try await runtime.storage.users.list().filter { $0.tenant == Tenant.superTenant }
        let resources = users.sorted { $0.id < $1.id }.map { representation($0).0 }
        let definitions = schemas
        let evaluator = SCIMFilterEvaluator(coreSchema: SCIMSchemaURN.user) { path in definitions.definition(of: path)?.caseExact ?? false }
        let (total, page) = query.run(resources, evaluator: evaluator, schemas: schemas)
        return try SCIMHTTP.answer(query.listResponse(total: total, page: page))
    }

    /// `SECONDARY/bob` names the user store (WSO2's domain-qualified user name); without
    /// one, the primary store.
    func storeAndName(_ userName: String) throws -> (store: String, username: String) {
        if let slash = userName.firstIndex(of: "/") {
            let store = userName[..<slash].uppercased()
            guard runtime.settings.userStores.contains(where: { $0.uppercased() == store }) else {
                throw SCIMError(.scimInvalidValue, field: "userName", value: userName, detail: "no user store '\(store)'")
            }
            return (store, String(userName[userName.index(after: slash)...]))
        }
        return (UserStoreName.primary, userName)
    }

    func checkAccount(username: String, password: String?) throws {
        if let problem = UsernameProfile.problem(with: username) {
            let error = problem.error(username)
            throw SCIMError(.scimInvalidValue, field: "userName", value: username, detail: error.detail)
        }
        if let password, let problem = runtime.settings.passwordPolicy.problem(with: password, username: username) {
            throw SCIMError(.scimInvalidValue, field: "password", detail: problem)
        }
    }

    func create(_ input: SCIMUserMapping.Input) async throws -> SCIMResult {
        let (store, name) = try storeAndName(input.userName)
        try checkAccount(username: name, password: input.password)
        if try await runtime.storage.users.find(username: name, tenant: Tenant.superTenant) != nil {
            throw SCIMError(.scimUniqueness, field: "userName", value: name, detail: "a user with this userName exists")
        }
        let user = User(
            id: runtime.random.uuid(), userStore: store, username: (try? UsernameProfile.display(name)) ?? name,
            passwordHash: input.password.map(runtime.hasher.hash), claims: input.claims.compactMapValues { $0 },
            locked: input.active.map { !$0 } ?? false)
        do {
            try await runtime.provisioner.around(user.id, username: user.username, source: "scim") {
                try await runtime.storage.users.create(user)
            }
        } catch {
            guard (error as? StorageError)?.code == .storageAlreadyExists else { throw error }
            throw SCIMError(.scimUniqueness, field: "userName", value: name, detail: (error as? StorageError)?.detail ?? "")
        }
        let (resource, etag) = representation(user)
        return SCIMResult(status: .created, resource: resource, etag: etag, location: base + "/Users/" + user.id)
    }

    /// PATCH (RFC 7644 §3.5.2): the patched resource is read as a PUT body — the same
    /// checks, the same record — written only if the user is still the version the patch
    /// was applied to.
    func patchUser(_ id: String, _ body: SCIMValue, ifMatch: String?) async throws -> SCIMResult {
        let patch = try SCIMPatch(body)
        let current = try await user(id)
        try checkVersion(ifMatch, of: current)
        let (resource, version) = representation(current)
        let patched = try patch.apply(to: resource, coreSchema: SCIMSchemaURN.user, extensions: schemas.extensionIDs)
        return try await replace(id, with: SCIMUserMapping(schemas: schemas).input(from: patched), ifMatch: ifMatch, basedOn: version)
    }

    func deleteUser(_ id: String, ifMatch: String?) async throws -> SCIMResult {
        let current = try await user(id)
        try checkVersion(ifMatch, of: current)
        try await runtime.provisioner.around(id, username: nil, source: "scim") { try await runtime.storage.users.delete(id: id) }
        try await runtime.storage.consents.deleteAll(userID: id)
        try await runtime.storage.associations.deleteAll(userID: id)
        return SCIMResult(status: .noContent)
    }

    /// PUT (RFC 7644 §3.5.1): the resource as given — claims it leaves out are removed,
    /// the password only changes when one is given. userName is the account's identity
    /// (sessions, consents, the subject an application knows), so it cannot be changed.
    /// `basedOn`: the version a PATCH was applied to, which must still be the stored one.
    func replace(_ id: String, with input: SCIMUserMapping.Input, ifMatch: String?, basedOn: String? = nil) async throws -> SCIMResult {
        let current = try await user(id)
        try checkVersion(ifMatch, of: current)
        let (_, name) = try storeAndName(input.userName)
        guard UsernameProfile.lookupKey(name) == UsernameProfile.lookupKey(current.username) else {
            throw SCIMError(.scimMutability, field: "userName", value: input.userName, detail: "userName cannot be changed here")
        }
        try checkAccount(username: current.username, password: input.password)
        let hash = input.password.map(runtime.hasher.hash)
        let expected = basedOn ?? representation(current).1
        let updated = try await runtime.provisioner.around(id, username: current.username, source: "scim") {
            try await runtime.storage.users.update(id: id) { old in
            // The version checked above (or patched) must still be the stored one: a
            // concurrent change is not silently undone.
            guard ifMatch == nil && basedOn == nil || representation(old).1 == expected else {
                throw SCIMError(.scimPreconditionFailed, detail: "the user changed meanwhile")
            }
            var new = old
            for (claim, value) in input.claims { new.claims[claim] = value }
            if let hash { new.passwordHash = hash }
            if let active = input.active {
                // Unlocking (false → true) also lifts a lock of failed passwords (AU-7), as
                // the admin API does; an update that merely restates `active: true` does not.
                if active && old.locked { new.lockout = AccountLockout() }
                new.locked = !active
            }
            return new
            }
        }
        let (resource, etag) = representation(updated)
        return SCIMResult(status: .ok, resource: resource, etag: etag)
    }

    /// RFC 7644 §3.14: a stale `If-Match` is 412; `*` matches any version.
    func checkVersion(_ ifMatch: String?, of user: User) throws {
        try Self.checkVersion(ifMatch, current: representation(user).1, of: "user")
    }

    /// RFC 7644 §3.14, for any resource: `If-Match` names the current ETag, or is `*`.
    static func checkVersion(_ ifMatch: String?, current: String, of what: String) throws {
        guard let ifMatch, ifMatch != "*" else { return }
        guard ifMatch.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).contains(current) else {
            throw SCIMError(.scimPreconditionFailed, value: ifMatch, detail: "the \(what)'s version is \(current)")
        }
    }

    // MARK: discovery

    func serviceProviderConfig() -> SCIMValue {
        .object([
            ("schemas", .array([.string(SCIMSchemaURN.serviceProviderConfig)])),
            ("documentationUri", .string("https://github.com/identity-harness")),
            ("patch", .object([("supported", .bool(true))])),
            ("bulk", .object([
                ("supported", .bool(true)), ("maxOperations", .number(Double(SCIMBulk.maximumOperations))),
                // The smaller of SCIM's own limit and the server's body limit, which refuses a
                // larger declared body (413) before any endpoint sees it.
                ("maxPayloadSize", .number(Double(min(SCIMBulk.maximumPayload, runtime.settings.http.maximumBodyBytes)))),
            ])),
            ("filter", .object([("supported", .bool(true)), ("maxResults", .number(Double(SCIMQuery.maximumCount)))])),
            ("changePassword", .object([("supported", .bool(true))])),
            ("sort", .object([("supported", .bool(true))])),
            ("etag", .object([("supported", .bool(true))])),
            ("authenticationSchemes", .array([
                .object([
                    ("type", .string("httpbasic")), ("name", .string("HTTP Basic")),
                    ("description", .string("The server's admin credentials (server.yaml admin)")), ("primary", .bool(true)),
                ]),
                .object([
                    ("type", .string("oauthbearertoken")), ("name", .string("OAuth Bearer Token")),
                    ("description", .string("An access token of this server with scim:read, scim:write or (for /Me) scim:me")),
                    ("specUri", .string("https://www.rfc-editor.org/rfc/rfc6750")),
                ]),
            ])),
            ("meta", .object([("resourceType", .string("ServiceProviderConfig")), ("location", .string(base + "/ServiceProviderConfig"))])),
        ])
    }

    func groupResourceType() -> SCIMValue {
        .object([
            ("schemas", .array([.string(SCIMSchemaURN.resourceType)])), ("id", .string("Group")), ("name", .string("Group")),
            ("endpoint", .string("/Groups")), ("description", .string("Group (a role)")), ("schema", .string(SCIMSchemaURN.group)),
            ("meta", .object([("resourceType", .string("ResourceType")), ("location", .string(base + "/ResourceTypes/Group"))])),
        ])
    }

    func userResourceType() -> SCIMValue {
        .object([
            ("schemas", .array([.string(SCIMSchemaURN.resourceType)])), ("id", .string("User")), ("name", .string("User")),
            ("endpoint", .string("/Users")), ("description", .string("User Account")), ("schema", .string(SCIMSchemaURN.user)),
            ("schemaExtensions", .array([
                .object([("schema", .string(SCIMSchemaURN.enterpriseUser)), ("required", .bool(false))]),
                .object([("schema", .string(SCIMSchemaURN.custom)), ("required", .bool(false))]),
            ])),
            ("meta", .object([("resourceType", .string("ResourceType")), ("location", .string(base + "/ResourceTypes/User"))])),
        ])
    }
}
