import Connectors
import Foundation
public import IdentityCore
public import SCIM

/// What went wrong talking to a target, and whether trying again later can help.
public struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    /// The target's HTTP status, when it answered.
    public var status: Int?
    /// A 5xx, 408, 429, a timeout or no connection: worth another attempt. A 4xx refusal of
    /// what was sent is not — the same request would be refused again.
    public var retryable: Bool
    /// Seconds the target asked for (`Retry-After`), if it did.
    public var retryAfter: Int?
    public var message: String

    public var description: String { message }

    static func answered(_ what: String, _ answer: UpstreamHTTP.Answer) -> DeliveryFailure {
        let status = answer.status
        let retryable = status >= 500 || status == 408 || status == 429
        // The SCIM error's own words (RFC 7644 §3.12), briefly: never the whole body.
        let detail = SCIMValue.parsing(answer.body).flatMap { $0.member("detail")?.stringValue }.map { ": " + String($0.prefix(200)) } ?? ""
        return DeliveryFailure(status: status, retryable: retryable, retryAfter: answer.retryAfter, message: "\(what) answered HTTP \(status)\(detail)")
    }
}

/// A SCIM 2.0 client for one target (RFC 7644): the few calls outbound provisioning makes.
struct SCIMOutboundClient: Sendable {
    let settings: SCIMTargetSettings
    let http: UpstreamHTTP

    private var base: String { settings.url.hasSuffix("/") ? String(settings.url.dropLast()) : settings.url }

    private var headers: [(String, String)] {
        var headers = [("Accept", "application/scim+json")]
        switch settings.authentication {
        case .basic:
            let pair = Data("\(settings.username ?? ""):\(settings.password ?? "")".utf8).base64EncodedString()
            headers.append(("Authorization", "Basic " + pair))
        case .bearer: headers.append(("Authorization", "Bearer " + (settings.token ?? "")))
        case .none: break
        }
        return headers
    }

    private func send(_ method: String, _ path: String, _ body: SCIMValue? = nil) async throws(DeliveryFailure) -> UpstreamHTTP.Answer {
        let url = base + path
        do {
            let answer = try await http.send(
                method, url, headers: headers, body: body.map { ("application/scim+json", Data($0.jsonText().utf8)) })
            return answer
        } catch let error as ConnectorError {
            throw DeliveryFailure(status: nil, retryable: true, retryAfter: nil, message: "\(method) \(path): \(error.detail)")
        } catch {
            throw DeliveryFailure(status: nil, retryable: true, retryAfter: nil, message: "\(method) \(path): \(error)")
        }
    }

    private func failure(_ what: String, _ answer: UpstreamHTTP.Answer) -> DeliveryFailure { .answered(what, answer) }

    /// Creates the user; nil when the target already has one of that userName (409).
    func createUser(_ resource: SCIMValue) async throws(DeliveryFailure) -> String? {
        let answer = try await send("POST", "/Users", resource)
        if answer.status == 409 { return nil }
        guard answer.status == 201 || answer.status == 200 else { throw failure("POST /Users", answer) }
        return try id(in: answer, what: "POST /Users")
    }

    /// Replaces the user; false when the target no longer has it (404).
    func replaceUser(_ id: String, _ resource: SCIMValue) async throws(DeliveryFailure) -> Bool {
        let answer = try await send("PUT", "/Users/" + Self.segment(id), resource)
        if answer.status == 404 { return false }
        guard answer.status == 200 || answer.status == 204 else { throw failure("PUT /Users", answer) }
        return true
    }

    /// Deletes the user; one the target does not have (404) is as good as deleted.
    func deleteUser(_ id: String) async throws(DeliveryFailure) {
        let answer = try await send("DELETE", "/Users/" + Self.segment(id))
        guard [200, 204, 404].contains(answer.status) else { throw failure("DELETE /Users", answer) }
    }

    /// A resource the target has: its id and externalId.
    struct Found {
        var id: String
        var externalID: String?
    }

    /// The resource whose `attribute` equals `value`, if the target has one.
    func find(_ endpoint: String, _ attribute: String, equals value: String) async throws(DeliveryFailure) -> Found? {
        // The value as a JSON string literal: a quote or backslash in a name cannot end the
        // filter early (RFC 7644 §3.4.2.2 compares JSON strings).
        let filter = "\(attribute) eq \(SCIMValue.string(value).jsonText())"
        let answer = try await send("GET", "/\(endpoint)?filter=" + URLEncoding.encode(filter) + "&count=2")
        guard answer.status == 200 else { throw failure("GET /\(endpoint)", answer) }
        guard case .array(let resources)? = SCIMValue.parsing(answer.body)?.member("Resources") else { return nil }
        // userName and displayName are not caseExact (RFC 7643 §4.1.1, §4.2).
        let matching = resources.filter { $0.member(attribute)?.stringValue?.caseInsensitiveCompare(value) == .orderedSame }
        guard matching.count <= 1 else {
            throw DeliveryFailure(status: 200, retryable: false, message: "GET /\(endpoint): more than one resource has \(attribute) \(value)")
        }
        guard let match = matching.first, let id = match.member("id")?.stringValue else { return nil }
        return Found(id: id, externalID: match.member("externalId")?.stringValue)
    }

    /// Creates a Group with one member; nil when one of that name exists already (409).
    func createGroup(_ displayName: String, member: String) async throws(DeliveryFailure) -> String? {
        let group = SCIMValue.object([
            ("schemas", .array([.string(SCIMSchemaURN.group)])), ("displayName", .string(displayName)),
            ("members", .array([.object([("value", .string(member))])])),
        ])
        let answer = try await send("POST", "/Groups", group)
        if answer.status == 409 { return nil }
        guard answer.status == 201 || answer.status == 200 else { throw failure("POST /Groups", answer) }
        return try id(in: answer, what: "POST /Groups")
    }

    /// Adds or removes one member (RFC 7644 §3.5.2); a Group the target no longer has is
    /// reported as false.
    func changeMembership(group: String, member: String, add: Bool) async throws(DeliveryFailure) -> Bool {
        let operation: SCIMValue =
            add
            ? .object([("op", .string("add")), ("path", .string("members")), ("value", .array([.object([("value", .string(member))])]))])
            : .object([("op", .string("remove")), ("path", .string("members[value eq \(SCIMValue.string(member).jsonText())]"))])
        let patch = SCIMValue.object([("schemas", .array([.string(SCIMSchemaURN.patchOp)])), ("Operations", .array([operation]))])
        let answer = try await send("PATCH", "/Groups/" + Self.segment(group), patch)
        if answer.status == 404 { return false }
        guard [200, 204].contains(answer.status) else { throw failure("PATCH /Groups", answer) }
        return true
    }

    private func id(in answer: UpstreamHTTP.Answer, what: String) throws(DeliveryFailure) -> String {
        guard let id = SCIMValue.parsing(answer.body)?.member("id")?.stringValue, !id.isEmpty else {
            throw DeliveryFailure(status: answer.status, retryable: false, message: "\(what) answered without the new resource's id")
        }
        return id
    }

    /// One path segment, percent-encoded: an id from the target cannot add a segment.
    static func segment(_ id: String) -> String { URLEncoding.encode(id) }
}
