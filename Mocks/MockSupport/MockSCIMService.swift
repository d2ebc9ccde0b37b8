public import Foundation
public import HTTPServing
public import Hummingbird
public import IdentityCore
public import Logging
import NIOCore
public import SCIM
import Synchronization

/// A mock SCIM 2.0 service provider (RFC 7644) — an application's user store that an
/// identity server provisions to (PR-2): Users and Groups with create, read, replace,
/// patch, delete and filtered lists, kept in memory. It records every request
/// (`GET /observations`), serves what it stored, and misbehaves on demand (``SCIMFaults``).
public final class MockSCIMService: Sendable {
    public let profile: SCIMServiceProfile
    let clock: any WallClock
    let random: any RandomSource
    private let address = ListeningAddress()
    let state: Mutex<State>

    struct State {
        var faults: SCIMFaults
        /// Kind (`Users`, `Groups`) → resources in the order they were made.
        var resources: [String: [SCIMValue]] = ["Users": [], "Groups": []]
        var observations: [SCIMObservation] = []
    }

    public init(profile: SCIMServiceProfile, clock: any WallClock, random: any RandomSource) {
        self.profile = profile
        self.clock = clock
        self.random = random
        self.state = Mutex(State(faults: profile.faults))
    }

    public var observations: [SCIMObservation] { state.withLock { $0.observations } }

    public func application(
        host: String = "127.0.0.1", port: Int = 0, tls: ServerTLS? = nil, logger: Logger = MockServiceProvider.logger(), tap: TrafficTap? = nil,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        MockHTTP.application(
            router: router(), serverName: "mock-scim", host: host, port: port, tls: tls, logger: logger, address: address, tap: tap, onListening: onListening)
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("observations") { _, _ in try MockHTTP.json(self.observations) }
        // Faults at run time: form or JSON fields named as in the profile's `faults:`.
        router.post("_mock/faults") { request, _ in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 64 * 1024))
            let json = request.headers[.contentType]?.hasPrefix("application/json") == true
            let fields: [(String, String)]
            if json {
                guard case .object(let members)? = SCIMValue.parsing(Data(body.utf8)) else {
                    throw MockError(.mockBadOption, field: "body", detail: "a JSON object of fault names")
                }
                fields = members.map { ($0.0, $0.1.plainText ?? "") }
            } else {
                fields = URLEncoding.pairs(body).map { ($0.name, $0.value) }
            }
            let faults = try self.state.withLock { state throws(MockError) in
                try state.faults.apply(fields)
                return state.faults
            }
            return try MockHTTP.json(faults)
        }
        for kind in ["Users", "Groups"] {
            router.get("scim2/\(kind)") { request, _ in await self.serve(request, kind: kind, id: nil) }
            router.post("scim2/\(kind)") { request, _ in await self.serve(request, kind: kind, id: nil) }
            router.post("scim2/\(kind)/.search") { request, _ in await self.serve(request, kind: kind, id: ".search") }
            for method in [HTTPRequest.Method.get, .put, .patch, .delete] {
                router.on("scim2/\(kind)/:id", method: method) { request, context in
                    await self.serve(request, kind: kind, id: context.parameters.get("id") ?? "")
                }
            }
        }
        router.get("scim2/ServiceProviderConfig") { request, _ in await self.serve(request, kind: "ServiceProviderConfig", id: nil) }
        return router
    }

    // MARK: one request

    /// Answers and records one SCIM request: authentication, then the faults, then the
    /// operation.
    func serve(_ request: Request, kind: String, id: String?) async -> Response {
        var request = request
        let bytes = (try? await request.collectBody(upTo: 1024 * 1024)).map { Data(buffer: $0) }
        let body = bytes.flatMap { $0.isEmpty ? nil : $0 }
        let parsed = body.flatMap(SCIMValue.parsing)
        let authorized = isAuthorized(request.headers[.authorization])
        // A refused request does not use up an outage: it never reached the service.
        let (faults, unavailable) = state.withLock { state in
            let down = authorized && state.faults.unavailable > 0
            if down { state.faults.unavailable -= 1 }
            return (state.faults, down)
        }
        if faults.slowSeconds > 0 { try? await Task.sleep(for: .milliseconds(Int(faults.slowSeconds * 1000))) }
        let answer: Answer
        if !authorized {
            answer = .error(401, nil, "authentication required")
        } else if unavailable {
            answer = .error(503, nil, "the service is unavailable (fault)", retryAfter: faults.retryAfter)
        } else if body != nil && parsed == nil {
            answer = .error(400, "invalidSyntax", "the body is not JSON")
        } else {
            answer = operate(request.method, kind: kind, id: id, query: MockHTTP.query(request), body: parsed, faults: faults)
        }
        let observation = SCIMObservation(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query.flatMap { URLEncoding.decode(Substring($0)) },
            authorized: authorized, status: answer.status, body: parsed.map(Self.masked))
        state.withLock { $0.observations.append(observation) }
        return answer.response
    }

    func isAuthorized(_ header: String?) -> Bool {
        switch profile.authentication {
        case "basic":
            let expected = "Basic " + Data("\(profile.username ?? ""):\(profile.password ?? "")".utf8).base64EncodedString()
            return header.map { ConstantTime.equals(Array($0.utf8), Array(expected.utf8)) } ?? false
        case "bearer":
            return header.map { ConstantTime.equals(Array($0.utf8), Array(("Bearer " + (profile.token ?? "")).utf8)) } ?? false
        default:
            return true
        }
    }

    /// A password is recorded as present, never as its value.
    static func masked(_ body: SCIMValue) -> SCIMValue {
        guard case .object(let members) = body else { return body }
        return .object(members.map { $0.0.lowercased() == "password" ? ($0.0, .string("********")) : $0 })
    }

    // MARK: operations

    func operate(_ method: HTTPRequest.Method, kind: String, id: String?, query: [String: String], body: SCIMValue?, faults: SCIMFaults)
        -> Answer
    {
        if kind == "ServiceProviderConfig" { return .resource(200, Self.serviceProviderConfig) }
        let core = kind == "Users" ? SCIMSchemaURN.user : SCIMSchemaURN.group
        let unique = kind == "Users" ? "userName" : "displayName"
        switch (method, id) {
        case (.get, nil):
            return list(kind, query: query)
        case (.post, ".search"):
            var parameters = [String: String]()
            for key in ["filter", "startIndex", "count"] {
                if let value = body?.member(key) { parameters[key] = value.plainText }
            }
            return list(kind, query: parameters)
        case (.post, nil):
            guard let body, Self.declares(body, core) else { return .error(400, "invalidSyntax", "schemas must list \(core)") }
            guard let name = body.member(unique)?.plainText, !name.isEmpty else { return .error(400, "invalidValue", "\(unique) is required") }
            if kind == "Users", faults.rejectUsers { return .error(400, "invalidValue", "this service does not accept the resource (fault)") }
            if kind == "Users", faults.conflict { return .error(409, "uniqueness", "userName is taken (fault)") }
            return state.withLock { state -> Answer in
                if state.resources[kind, default: []].contains(where: { $0.member(unique)?.plainText?.lowercased() == name.lowercased() }) {
                    return .error(409, "uniqueness", "\(unique) \(name) exists")
                }
                let now = clock.now
                let resource = stored(body, id: random.uuid(), kind: kind, created: now, modified: now, faults: faults)
                state.resources[kind, default: []].append(resource)
                return .resource(201, resource)
            }
        case (.get, let id?):
            guard let resource = find(kind, id) else { return .error(404, nil, "no such resource") }
            return .resource(200, resource)
        case (.put, let id?):
            guard let body, Self.declares(body, core) else { return .error(400, "invalidSyntax", "schemas must list \(core)") }
            if kind == "Users", faults.rejectUsers { return .error(400, "invalidValue", "this service does not accept the resource (fault)") }
            guard let name = body.member(unique)?.plainText, !name.isEmpty else { return .error(400, "invalidValue", "\(unique) is required") }
            // userName and displayName are readWrite (RFC 7643 §4.1.1, §4.2): a new one must
            // not be another resource's.
            let taken = state.withLock { state in
                state.resources[kind, default: []].contains {
                    $0.member("id")?.plainText != id && $0.member(unique)?.plainText?.lowercased() == name.lowercased()
                }
            }
            if taken { return .error(409, "uniqueness", "\(unique) \(name) exists") }
            return replace(kind, id) { _ in body }
        case (.patch, let id?):
            guard let body else { return .error(400, "invalidSyntax", "a PatchOp body is required") }
            let patch: SCIMPatch
            do {
                patch = try SCIMPatch(body)
            } catch {
                return .error(error.code.status, error.code.scimType, error.detail)
            }
            return replace(kind, id) { old in
                do {
                    return try patch.apply(to: old, coreSchema: core)
                } catch {
                    let coded = error as? SCIMError
                    throw Refusal(status: coded?.code.status ?? 400, scimType: coded?.code.scimType, detail: coded?.detail ?? "\(error)")
                }
            }
        case (.delete, let id?):
            return state.withLock { state -> Answer in
                guard let index = state.resources[kind, default: []].firstIndex(where: { $0.member("id")?.plainText == id }) else {
                    return .error(404, nil, "no such resource")
                }
                state.resources[kind]!.remove(at: index)
                // A deleted user leaves every group it was in.
                if kind == "Users" { state.resources["Groups"] = state.resources["Groups"]!.map { Self.removingMember(id, from: $0) } }
                return .empty(204)
            }
        default:
            return .error(405, nil, "not supported here")
        }
    }

    struct Refusal: Error {
        var status: Int
        var scimType: String?
        var detail: String
    }

    /// Replaces a resource with what `change` makes of it, keeping its id and creation time.
    func replace(_ kind: String, _ id: String, _ change: (SCIMValue) throws -> SCIMValue) -> Answer {
        state.withLock { state -> Answer in
            guard let index = state.resources[kind, default: []].firstIndex(where: { $0.member("id")?.plainText == id }) else {
                return .error(404, nil, "no such resource")
            }
            let old = state.resources[kind]![index]
            let new: SCIMValue
            do {
                new = try change(old)
            } catch let refusal as Refusal {
                return .error(refusal.status, refusal.scimType, refusal.detail)
            } catch {
                return .error(500, nil, "\(error)")
            }
            let created = old.member("meta")?.member("created")?.plainText.flatMap { try? Date($0, strategy: .iso8601) } ?? clock.now
            let resource = stored(new, id: id, kind: kind, created: created, modified: clock.now, faults: state.faults)
            state.resources[kind]![index] = resource
            return .resource(200, resource)
        }
    }

    func find(_ kind: String, _ id: String) -> SCIMValue? {
        state.withLock { $0.resources[kind, default: []].first { $0.member("id")?.plainText == id } }
    }

    func list(_ kind: String, query: [String: String]) -> Answer {
        let all = state.withLock { $0.resources[kind, default: []] }
        var matching = all
        if let text = query["filter"] {
            do {
                let filter = try SCIMFilterParser().parse(text)
                let evaluator = SCIMFilterEvaluator(coreSchema: kind == "Users" ? SCIMSchemaURN.user : SCIMSchemaURN.group)
                matching = all.filter { evaluator.matches($0, filter) }
            } catch {
                return .error(400, "invalidFilter", error.detail)
            }
        }
        let start = max(1, query["startIndex"].flatMap(Int.init) ?? 1)
        let count = min(200, max(0, query["count"].flatMap(Int.init) ?? 100))
        let page = Array(matching.dropFirst(start - 1).prefix(count))
        return .resource(200, .object([
            ("schemas", .array([.string(SCIMSchemaURN.listResponse)])), ("totalResults", .number(Double(matching.count))),
            ("startIndex", .number(Double(start))), ("itemsPerPage", .number(Double(page.count))), ("Resources", .array(page)),
        ]))
    }

    /// The resource as kept: the client's attributes (less a dropped one, and never a
    /// password), the service's id and meta.
    func stored(_ body: SCIMValue, id: String, kind: String, created: Date, modified: Date, faults: SCIMFaults) -> SCIMValue {
        guard case .object(let members) = body else { return body }
        var kept = members.filter { !["id", "meta", "password"].contains($0.0.lowercased()) }
        if let dropped = faults.dropAttribute { kept = Self.dropping(dropped, from: kept) }
        let time = { (date: Date) in SCIMValue.string(date.formatted(.iso8601)) }
        let meta = SCIMValue.object([
            ("resourceType", .string(kind == "Users" ? "User" : "Group")), ("created", time(created)), ("lastModified", time(modified)),
            ("location", .string(address.url + "/scim2/\(kind)/" + id)),
        ])
        return .object([("id", .string(id))] + kept + [("meta", meta)])
    }

    static func dropping(_ path: String, from members: [(String, SCIMValue)]) -> [(String, SCIMValue)] {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 1 { return members.filter { $0.0.caseInsensitiveCompare(parts[0]) != .orderedSame } }
        return members.map { name, value in
            guard name.caseInsensitiveCompare(parts[0]) == .orderedSame, case .object(let inner) = value else { return (name, value) }
            return (name, .object(dropping(parts[1], from: inner)))
        }
    }

    static func removingMember(_ id: String, from group: SCIMValue) -> SCIMValue {
        guard case .object(let members) = group else { return group }
        return .object(members.map { name, value in
            guard name == "members", case .array(let list) = value else { return (name, value) }
            return (name, .array(list.filter { $0.member("value")?.plainText != id }))
        })
    }

    static func declares(_ body: SCIMValue, _ schema: String) -> Bool {
        guard case .array(let schemas)? = body.member("schemas") else { return false }
        return schemas.contains(.string(schema))
    }

    static let serviceProviderConfig = SCIMValue.object([
        ("schemas", .array([.string(SCIMSchemaURN.serviceProviderConfig)])),
        ("patch", .object([("supported", .bool(true))])), ("bulk", .object([("supported", .bool(false))])),
        ("filter", .object([("supported", .bool(true)), ("maxResults", .number(200))])),
        ("changePassword", .object([("supported", .bool(false))])), ("sort", .object([("supported", .bool(false))])),
        ("etag", .object([("supported", .bool(false))])),
    ])

    /// What one request gets.
    enum Answer {
        case resource(Int, SCIMValue)
        case empty(Int)
        case error(Int, String?, String, retryAfter: Int? = nil)

        var status: Int {
            switch self {
            case .resource(let s, _), .empty(let s), .error(let s, _, _, _): s
            }
        }

        var response: Response {
            let headers: HTTPFields = [.contentType: "application/scim+json"]
            switch self {
            case .resource(let status, let value):
                return Response(
                    status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText())))
            case .empty(let status):
                return Response(status: .init(code: status))
            case .error(let status, let scimType, let detail, let retryAfter):
                var members: [(String, SCIMValue)] = [("schemas", .array([.string(SCIMSchemaURN.error)])), ("status", .string(String(status)))]
                if let scimType { members.append(("scimType", .string(scimType))) }
                members.append(("detail", .string(detail)))
                var fields = headers
                if let retryAfter { fields[.retryAfter] = String(retryAfter) }
                return Response(
                    status: .init(code: status), headers: fields,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: SCIMValue.object(members).jsonText())))
            }
        }
    }
}

/// One request a mock SCIM service received, as `GET /observations` lists it.
public struct SCIMObservation: Codable, Sendable {
    public var method: String
    /// The path, without the query.
    public var path: String
    /// The query, decoded (`filter=userName eq "bob"`).
    public var query: String?
    /// Whether it carried the credentials the profile names.
    public var authorized: Bool
    /// What the mock answered.
    public var status: Int
    /// The JSON body, a password replaced by `********`.
    public var body: SCIMValue?
}

extension SCIMValue {
    /// A scalar as text (strings as they are; numbers and booleans as JSON writes them).
    var plainText: String? {
        switch self {
        case .string(let s): s
        case .bool, .number: jsonText()
        default: nil
        }
    }
}

extension MockSCIMService: MockParty {
    public func start(host: String, port: Int = 0, tls: ServerTLS? = nil, tap: TrafficTap? = nil) async throws -> InProcessServer {
        try await InProcessServer.start(logger: MockServiceProvider.logger()) { onListening in
            application(host: host, port: port, tls: tls, tap: tap, onListening: onListening)
        }
    }

    public func encodedObservations() throws -> Data { try JSONEncoder().encode(observations) }
}
