import Foundation
import Hummingbird
import IdentityCore
import IdentityStorage
import SCIM

/// A group made through SCIM that may have no members yet. Groups are the server's roles
/// (the role names accounts carry); this record keeps one alive while no account has it.
struct GroupRecord: StoredRecord, Hashable {
    static let layout = RecordLayout<Self>(
        table: "scim_groups", what: "group", primary: .init(name: "name", field: "displayName", read: { $0.name }),
        unique: [.init(name: "name_key", field: "displayName", read: { $0.name.lowercased() })])

    var name: String
    var created: Date
    /// The provisioning client's id for the group (RFC 7643 §3.1).
    var externalID: String?
}

/// What the Group endpoints share and that cannot be a static of the generic routes.
enum SCIMGroups {
    static let schemas = SCIMGroupSchemas()
    /// Members one POST or PUT may name.
    static let maximumMembers = 1_000
}

/// `/scim2/Groups` (PR-1, RFC 7643 §4.2): a group is a role. Its id and displayName are the
/// role's name; its members are the accounts that have the role, so a member added here
/// has the role everywhere (claims, SAML and OIDC role values, outbound provisioning).
extension SCIMRoutes {
    func addGroupRoutes(to group: RouterGroup<Context>) {
        group.get("Groups") { request, _ in try await listGroups(SCIMQuery(parameters: FormBody.query(request), schemas: SCIMGroups.schemas)) }
        group.post("Groups/.search") { request, _ in
            var request = request
            return try await listGroups(SCIMQuery(parameters: SCIMHTTP.searchParameters(try await SCIMHTTP.body(&request)), schemas: SCIMGroups.schemas))
        }
        group.post("Groups") { request, _ in
            var request = request
            return try await createGroup(try await SCIMHTTP.body(&request)).response()
        }
        group.get("Groups/:id") { request, context in
            let (name, members) = try await existingGroup(context.parameters.decoded("id"))
            let (resource, etag) = versionedGroup(name, members, externalID: try await externalID(of: name))
            if let match = request.headers[.ifNoneMatch], match == etag { return Response(status: .notModified, headers: [.eTag: etag]) }
            let query = try SCIMQuery(parameters: FormBody.query(request), schemas: SCIMGroups.schemas)
            return try SCIMHTTP.answer(query.project(resource, schemas: SCIMGroups.schemas), etag: etag)
        }
        group.put("Groups/:id") { request, context in
            var request = request
            let id = try context.parameters.decoded("id")
            return try await replaceGroup(id, with: try await SCIMHTTP.body(&request), ifMatch: request.headers[.ifMatch]).response()
        }
        group.patch("Groups/:id") { request, context in
            var request = request
            let id = try context.parameters.decoded("id")
            return try await patchGroup(id, try await SCIMHTTP.body(&request), ifMatch: request.headers[.ifMatch]).response()
        }
        group.delete("Groups/:id") { request, context in
            try await deleteGroup(try context.parameters.decoded("id"), ifMatch: request.headers[.ifMatch]).response()
        }
    }

    // MARK: reading

    /// Every group — those made here and every role an account has — with its members.
    /// Roles are compared exactly, as everywhere else: two roles that differ in case (from
    /// an IdP, or the admin API) are two groups; only a new group's name is refused when it
    /// differs from an existing one in case alone.
    func allGroups() async throws -> [(name: String, members: [User])] {
        let users = try await runtime.storage.users.list().filter { $0.tenant == Tenant.superTenant }
        var members = [String: [User]]()
        for record in try await runtime.storage.records(GroupRecord.self).all() { members[record.name] = [] }
        for user in users.sorted(by: { $0.username < $1.username }) {
            for role in user.roles { members[role, default: []].append(user) }
        }
        return members.keys.sorted().map { ($0, members[$0]!) }
    }

    func existingGroup(_ id: String) async throws -> (String, [User]) {
        guard let found = try await allGroups().first(where: { $0.name == id }) else {
            throw SCIMError(.scimNotFound, value: id, detail: "no such group")
        }
        return found
    }

    /// The resource with `meta.version`. The ETag is over the content without `$ref`s,
    /// which name this server's URL, so a version does not depend on the host a request
    /// came to (as a User's does not).
    func versionedGroup(_ name: String, _ members: [User], externalID: String?) -> (resource: SCIMValue, etag: String) {
        let etag = SCIMUserMapping.versioned(groupResource(name, members, externalID: externalID, references: false)).etag
        let (resource, _) = SCIMUserMapping.versioned(groupResource(name, members, externalID: externalID))
        return (Self.replacingVersion(resource, with: etag), etag)
    }

    /// Every group's externalId that a client gave, by group name.
    func groupExternalIDs() async throws -> [String: String] {
        var ids = [String: String]()
        for record in try await runtime.storage.records(GroupRecord.self).all() { ids[record.name] = record.externalID }
        return ids
    }

    /// The group's externalId, if a client gave it one.
    func externalID(of name: String) async throws -> String? {
        try await runtime.storage.records(GroupRecord.self).get(name)?.externalID
    }

    /// Keeps the group's externalId (a group that is only a role gets its record now).
    func setExternalID(_ externalID: String?, of name: String) async throws {
        let records = runtime.storage.records(GroupRecord.self)
        if let record = try await records.get(name) {
            guard record.externalID != externalID else { return }
            try await records.update(name) { old in
                var new = old
                new.externalID = externalID
                return new
            }
        } else if externalID != nil {
            try await records.upsert(GroupRecord(name: name, created: runtime.clock.now, externalID: externalID))
        }
    }

    static func replacingVersion(_ resource: SCIMValue, with etag: String) -> SCIMValue {
        guard case .object(var members) = resource, let index = members.firstIndex(where: { $0.0 == "meta" }),
            case .object(var meta) = members[index].1, let version = meta.firstIndex(where: { $0.0 == "version" })
        else { return resource }
        meta[version] = ("version", .string(etag))
        members[index] = ("meta", .object(meta))
        return .object(members)
    }

    func groupResource(_ name: String, _ members: [User], externalID: String? = nil, references: Bool = true) -> SCIMValue {
        var fields: [(String, SCIMValue)] = [
            ("schemas", .array([.string(SCIMSchemaURN.group)])), ("id", .string(name)),
        ]
        if let externalID { fields.append(("externalId", .string(externalID))) }
        fields.append(("displayName", .string(name)))
        if !members.isEmpty {
            fields.append(("members", .array(members.map { user in
                .object(
                    [("value", .string(user.id)), ("display", .string(user.username)), ("type", .string("User"))]
                        + (references ? [("$ref", SCIMValue.string(base + "/Users/" + user.id))] : []))
            })))
        }
        fields.append(("meta", .object([("resourceType", .string("Group")), ("location", .string(groupLocation(name)))])))
        return .object(fields)
    }

    func groupLocation(_ name: String) -> String { base + "/Groups/" + URLEncoding.encode(name) }

    func listGroups(_ query: SCIMQuery) async throws -> Response {
        let external = try await groupExternalIDs()
        let resources = try await allGroups().map { groupResource($0.name, $0.members, externalID: external[$0.name]) }
        let evaluator = SCIMFilterEvaluator(coreSchema: SCIMSchemaURN.group) { path in SCIMGroups.schemas.definition(of: path)?.caseExact ?? false }
        let (total, page) = query.run(resources, evaluator: evaluator, schemas: SCIMGroups.schemas)
        return try SCIMHTTP.answer(query.listResponse(total: total, page: page))
    }

    // MARK: writing

    /// A POST or PUT body: the displayName and the member ids, checked. `limited`: the
    /// members a request itself names are at most ``SCIMGroups/maximumMembers`` (a patched
    /// group, which holds the members it already had, is not limited).
    func groupInput(_ body: SCIMValue, limited: Bool = true) throws -> (name: String, members: Set<String>, externalID: String?) {
        guard case .object(let members) = body else { throw SCIMError(.scimInvalidSyntax, detail: "the body is not a JSON object") }
        guard case .array(let declared)? = body.member("schemas"), declared.contains(.string(SCIMSchemaURN.group)) else {
            throw SCIMError(.scimInvalidSyntax, field: "schemas", detail: "schemas must list \(SCIMSchemaURN.group)")
        }
        for (name, _) in members {
            guard ["schemas", "id", "meta", "displayName", "members", "externalId"].contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw SCIMError(.scimInvalidValue, field: name, detail: "no attribute \(name) in the Group schema")
            }
        }
        guard case .string(let name)? = body.member("displayName") else {
            throw SCIMError(.scimInvalidValue, field: "displayName", detail: "displayName is required")
        }
        // The name is a role's, and the id in URLs too.
        if let problem = UserChange.problem(with: [name]) {
            throw SCIMError(.scimInvalidValue, field: "displayName", value: name, detail: problem)
        }
        var ids = Set<String>()
        if let list = body.member("members") {
            guard case .array(let entries) = list, !limited || entries.count <= SCIMGroups.maximumMembers else {
                throw SCIMError(.scimInvalidValue, field: "members", detail: "members is a list of at most \(SCIMGroups.maximumMembers)")
            }
            for entry in entries {
                guard case .string(let id)? = entry.member("value") else {
                    throw SCIMError(.scimInvalidValue, field: "members.value", detail: "each member names a user's id")
                }
                if let type = entry.member("type"), type != .string("User") {
                    throw SCIMError(.scimInvalidValue, field: "members.type", detail: "members are users (groups do not nest here)")
                }
                ids.insert(id)
            }
        }
        var externalID: String?
        switch body.member("externalId") {
        case nil, .null?: externalID = nil
        case .string(let value)? where !value.isEmpty && value.count <= 256: externalID = value
        default: throw SCIMError(.scimInvalidValue, field: "externalId", detail: "externalId is a string of 1 to 256 characters")
        }
        return (name, ids, externalID)
    }

    /// Gives the role to `added` and takes it from `removed`; every id must be a user.
    func setMembership(_ role: String, add added: Set<String>, remove removed: Set<String>) async throws {
        // Every member checked before any is changed.
        for id in added.union(removed).sorted() {
            let member: User
            do {
                member = try await user(id)
            } catch {
                throw SCIMError(.scimInvalidValue, field: "members", value: id, detail: "no such user")
            }
            if added.contains(id), !member.roles.contains(role), member.roles.count >= UserChange.maximumRoles {
                throw SCIMError(.scimInvalidValue, field: "members", value: id, detail: "that user has \(UserChange.maximumRoles) roles already")
            }
        }
        for id in added.union(removed).sorted() {
            let adding = added.contains(id)
            try await runtime.provisioner.around(id, username: nil, source: "scim") {
                try await runtime.storage.users.update(id: id) { old in
                    var new = old
                    if adding {
                        if !new.roles.contains(role) { new.roles = (new.roles + [role]).sorted() }
                    } else {
                        new.roles.removeAll { $0 == role }
                    }
                    return new
                }
            }
        }
    }

    func createGroup(_ body: SCIMValue) async throws -> SCIMResult {
        let (name, members, externalID) = try groupInput(body)
        if try await allGroups().contains(where: { $0.name.lowercased() == name.lowercased() }) {
            throw SCIMError(.scimUniqueness, field: "displayName", value: name, detail: "a group with this displayName exists")
        }
        // Members are checked before anything is stored.
        for id in members.sorted() {
            do { _ = try await user(id) } catch { throw SCIMError(.scimInvalidValue, field: "members", value: id, detail: "no such user") }
        }
        do {
            try await runtime.storage.records(GroupRecord.self).create(GroupRecord(name: name, created: runtime.clock.now, externalID: externalID))
        } catch {
            guard error.code == .storageAlreadyExists else { throw error }
            throw SCIMError(.scimUniqueness, field: "displayName", value: name, detail: "a group with this displayName exists")
        }
        do {
            try await setMembership(name, add: members, remove: [])
        } catch {
            // Not half made: a group whose members could not be given the role is undone.
            try? await setMembership(name, add: [], remove: members)
            try? await runtime.storage.records(GroupRecord.self).delete(name)
            throw error
        }
        let (_, stored) = try await existingGroup(name)
        let (resource, etag) = versionedGroup(name, stored, externalID: externalID)
        return SCIMResult(status: .created, resource: resource, etag: etag, location: groupLocation(name))
    }

    /// PUT: the members as given. The displayName is the group's id and cannot change.
    func replaceGroup(_ id: String, with body: SCIMValue, ifMatch: String?) async throws -> SCIMResult {
        let (name, current) = try await existingGroup(id)
        try await checkGroupVersion(ifMatch, name, current)
        let (given, members, externalID) = try groupInput(body)
        guard given == name else {
            throw SCIMError(.scimMutability, field: "displayName", value: given, detail: "a group's displayName is its id here and cannot change")
        }
        let present = Set(current.map(\.id))
        try await setMembership(name, add: members.subtracting(present), remove: present.subtracting(members))
        try await setExternalID(externalID, of: name)
        let (_, stored) = try await existingGroup(name)
        let (resource, etag) = versionedGroup(name, stored, externalID: externalID)
        return SCIMResult(status: .ok, resource: resource, etag: etag)
    }

    /// PATCH: only the members the operations add or remove change. The difference is
    /// taken against the group the patch was applied to, so two PATCHes at once (as
    /// provisioning clients send them) each add their member rather than the second one
    /// writing back a list without the first's.
    func patchGroup(_ id: String, _ body: SCIMValue, ifMatch: String?) async throws -> SCIMResult {
        let patch = try SCIMPatch(body)
        let (name, current) = try await existingGroup(id)
        try await checkGroupVersion(ifMatch, name, current)
        let patched = try patch.apply(to: groupResource(name, current, externalID: try await externalID(of: name)), coreSchema: SCIMSchemaURN.group)
        let (given, members, externalID) = try groupInput(patched, limited: false)
        guard given == name else {
            throw SCIMError(.scimMutability, field: "displayName", value: given, detail: "a group's displayName is its id here and cannot change")
        }
        let before = Set(current.map(\.id))
        try await setMembership(name, add: members.subtracting(before), remove: before.subtracting(members))
        try await setExternalID(externalID, of: name)
        let (_, stored) = try await existingGroup(name)
        let (resource, etag) = versionedGroup(name, stored, externalID: externalID)
        return SCIMResult(status: .ok, resource: resource, etag: etag)
    }

    func deleteGroup(_ id: String, ifMatch: String?) async throws -> SCIMResult {
        let (name, current) = try await existingGroup(id)
        try await checkGroupVersion(ifMatch, name, current)
        try await setMembership(name, add: [], remove: Set(current.map(\.id)))
        do {
            try await runtime.storage.records(GroupRecord.self).delete(name)
        } catch {
            guard error.code == .storageNotFound else { throw error }
        }
        return SCIMResult(status: .noContent)
    }

    func checkGroupVersion(_ ifMatch: String?, _ name: String, _ members: [User]) async throws {
        guard ifMatch != nil else { return }
        try Self.checkVersion(ifMatch, current: versionedGroup(name, members, externalID: try await externalID(of: name)).etag, of: "group")
    }
}
