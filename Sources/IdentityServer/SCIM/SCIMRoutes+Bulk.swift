import Foundation
import Hummingbird
import IdentityCore
import SCIM

/// Bulk limits, as ServiceProviderConfig announces them.
enum SCIMBulk {
    static let maximumOperations = 100
    static let maximumPayload = 1_048_576
    /// Group members all the operations of one request may name together: each is a write
    /// of an account (and its provisioning), so a request is bounded by its work, not only
    /// its bytes.
    static let maximumMembers = 1_000
}

/// `/scim2/Bulk` (PR-1, RFC 7644 §3.7): POST, PUT, PATCH and DELETE of Users and Groups in
/// one request, in order, each answered as it would be alone; `bulkId:` references to
/// resources created earlier in the request are resolved (a reference to a later one is not:
/// operations run in the order given); `failOnErrors` stops after that many errors. Over
/// the limits the whole request is refused with 413 before anything runs.
extension SCIMRoutes {
    func addBulkRoute(to group: RouterGroup<Context>) {
        group.post("Bulk") { request, _ in
            var request = request
            let body: SCIMValue
            do {
                body = try await SCIMHTTP.body(&request, limit: SCIMBulk.maximumPayload)
            } catch let error as RequestError where error.code == .requestTooLarge {
                throw SCIMError(.scimTooLarge, detail: "the body exceeds \(SCIMBulk.maximumPayload) bytes (bulk.maxPayloadSize)")
            }
            return try SCIMHTTP.answer(try await bulk(body))
        }
    }

    func bulk(_ body: SCIMValue) async throws -> SCIMValue {
        guard case .array(let declared)? = body.member("schemas"), declared.contains(.string(SCIMSchemaURN.bulkRequest)) else {
            throw SCIMError(.scimInvalidSyntax, field: "schemas", detail: "a Bulk request names \(SCIMSchemaURN.bulkRequest)")
        }
        guard case .array(let operations)? = body.member("Operations") else {
            throw SCIMError(.scimInvalidSyntax, field: "Operations", detail: "Operations is a list")
        }
        guard operations.count <= SCIMBulk.maximumOperations else {
            throw SCIMError(.scimTooLarge, value: String(operations.count), detail: "at most \(SCIMBulk.maximumOperations) operations (bulk.maxOperations)")
        }
        let named = operations.reduce(0) { total, operation in
            if case .array(let members)? = operation.member("data")?.member("members") { return total + members.count }
            if case .array(let patches)? = operation.member("data")?.member("Operations") {
                return total + patches.reduce(0) { sum, patch in
                    if case .array(let values)? = patch.member("value") { return sum + values.count }
                    return sum + 1
                }
            }
            return total
        }
        guard named <= SCIMBulk.maximumMembers else {
            throw SCIMError(.scimTooLarge, value: String(named), detail: "at most \(SCIMBulk.maximumMembers) group members named in one Bulk request")
        }
        var failOnErrors = Int.max
        if let given = body.member("failOnErrors") {
            guard case .number(let n) = given, let limit = Int(exactly: n), limit >= 1 else {
                throw SCIMError(.scimInvalidValue, field: "failOnErrors", detail: "failOnErrors is a positive integer")
            }
            failOnErrors = limit
        }
        // Every bulkId is unique in the request (RFC 7644 §3.7).
        var seen = Set<String>()
        for operation in operations {
            if case .string(let id)? = operation.member("bulkId"), !seen.insert(id).inserted {
                throw SCIMError(.scimInvalidValue, field: "bulkId", value: id, detail: "each bulkId is used once")
            }
        }
        var created = [String: String]()
        var results = [SCIMValue]()
        var errors = 0
        for operation in operations {
            let method = operation.member("method")?.stringValue?.uppercased() ?? ""
            let bulkID = operation.member("bulkId")?.stringValue
            var fields: [(String, SCIMValue)] = [("method", .string(method))]
            if let bulkID { fields.append(("bulkId", .string(bulkID))) }
            // RFC 7644 §3.7.3: every operation's answer names its resource, but a failed POST.
            let target = (try? Self.resolving(operation.member("path") ?? .null, created))?.stringValue.map { base + $0 }
            do {
                let result = try await perform(operation, method: method, bulkID: bulkID, created: created)
                if method == "POST", let bulkID, let id = result.resource?.member("id")?.stringValue { created[bulkID] = id }
                if let location = result.location ?? result.resource?.member("meta")?.member("location")?.stringValue ?? target {
                    fields.append(("location", .string(location)))
                }
                if let etag = result.etag { fields.append(("version", .string(etag))) }
                fields.append(("status", .string(String(result.status.code))))
            } catch let error as any CodedError {
                runtime.logger.notice("SCIM bulk operation refused: \(error.code.rawValue): \(error.detail)")
                errors += 1
                if method != "POST", let target { fields.append(("location", .string(target))) }
                fields.append(("status", .string(String(error.code.status))))
                fields.append(("response", SCIMAuthentication<Context>.errorBody(error)))
            }
            results.append(.object(fields))
            if errors >= failOnErrors { break }
        }
        return .object([("schemas", .array([.string(SCIMSchemaURN.bulkResponse)])), ("Operations", .array(results))])
    }

    /// One operation, as its own request would be answered.
    func perform(_ operation: SCIMValue, method: String, bulkID: String?, created: [String: String]) async throws -> SCIMResult {
        guard case .string(let rawPath)? = operation.member("path") else {
            throw SCIMError(.scimInvalidSyntax, field: "path", detail: "each operation names a path (/Users, /Groups/{id})")
        }
        let path = try Self.resolving(.string(rawPath), created).stringValue ?? rawPath
        let data = try operation.member("data").map { try Self.resolving($0, created) }
        let version = operation.member("version")?.stringValue
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let endpoint = segments.first, ["Users", "Groups"].contains(endpoint), segments.count <= 2 else {
            throw SCIMError(.scimInvalidPath, value: path, detail: "a Bulk operation's path is /Users, /Groups or one of theirs")
        }
        let id = segments.count == 2 ? (segments[1].removingPercentEncoding ?? segments[1]) : nil
        switch (method, id) {
        case ("POST", nil):
            guard bulkID != nil else { throw SCIMError(.scimInvalidValue, field: "bulkId", detail: "a POST needs a bulkId (RFC 7644 §3.7)") }
            let body = try Self.required(data)
            return endpoint == "Users" ? try await create(SCIMUserMapping(schemas: schemas).input(from: body)) : try await createGroup(body)
        case ("PUT", let id?):
            let body = try Self.required(data)
            return endpoint == "Users"
                ? try await replace(id, with: SCIMUserMapping(schemas: schemas).input(from: body), ifMatch: version)
                : try await replaceGroup(id, with: body, ifMatch: version)
        case ("PATCH", let id?):
            let body = try Self.required(data)
            return endpoint == "Users" ? try await patchUser(id, body, ifMatch: version) : try await patchGroup(id, body, ifMatch: version)
        case ("DELETE", let id?):
            return endpoint == "Users" ? try await deleteUser(id, ifMatch: version) : try await deleteGroup(id, ifMatch: version)
        default:
            throw SCIMError(.scimInvalidSyntax, field: "method", value: method, detail: "POST to /\(endpoint), or PUT, PATCH, DELETE of /\(endpoint)/{id}")
        }
    }

    static func required(_ data: SCIMValue?) throws(SCIMError) -> SCIMValue {
        guard let data else { throw SCIMError(.scimInvalidSyntax, field: "data", detail: "this operation needs data") }
        return data
    }

    /// Every `bulkId:<id>` (a whole string, or a path segment) replaced by the id the POST
    /// with that bulkId created; one that names no earlier POST cannot be resolved (409).
    static func resolving(_ value: SCIMValue, _ created: [String: String]) throws -> SCIMValue {
        switch value {
        case .string(let text) where text.contains("bulkId:"):
            var segments = [String]()
            for segment in text.split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
                guard segment.hasPrefix("bulkId:") else { segments.append(segment); continue }
                let reference = String(segment.dropFirst("bulkId:".count))
                guard let id = created[reference] else {
                    throw SCIMError(.scimUnresolvedReference, field: "bulkId", value: reference, detail: "no earlier operation created bulkId \(reference)")
                }
                segments.append(id)
            }
            return .string(segments.joined(separator: "/"))
        case .array(let items): return .array(try items.map { try resolving($0, created) })
        case .object(let members): return .object(try members.map { ($0.0, try resolving($0.1, created)) })
        default: return value
        }
    }
}
