import Foundation
import FuzzSupport
import SCIM

/// libFuzzer target: bytes as a SCIM filter and as a PATCH path (RFC 7644 §3.4.2.2,
/// §3.5.2) through the parser — with its length, depth and term limits — every filter
/// that parses evaluated against a user resource, and bytes that are a PatchOp message
/// applied to it. Any throw is a refusal and fine; a
/// crash, a hang or runaway memory is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSCIM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    let parser = SCIMFilterParser()
    if let filter = try? parser.parse(text) {
        _ = SCIMFilterEvaluator(coreSchema: FuzzSCIMResource.core).matches(FuzzSCIMResource.user, filter)
    }
    _ = try? parser.parsePath(text)
    // As a PatchOp body: read, then applied to the user (paths, value filters, merges).
    if let body = SCIMValue.parsing(Data(text.utf8)), let patch = try? SCIMPatch(body) {
        _ = try? patch.apply(to: FuzzSCIMResource.user, coreSchema: FuzzSCIMResource.core)
    }
    return 0
}

enum FuzzSCIMResource {
    static let core = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let user: SCIMValue = .object([
        ("schemas", .array([.string(core)])), ("id", .string("2819c223")), ("userName", .string("Alice")),
        ("name", .object([("givenName", .string("Alice")), ("familyName", .string("Andersen"))])),
        ("emails", .array([
            .object([("value", .string("alice@example.com")), ("type", .string("work")), ("primary", .bool(true))]),
            .object([("value", .string("alice@home.example")), ("type", .string("home"))]),
        ])),
        ("active", .bool(true)), ("groups", .array([.object([("value", .string("g1")), ("display", .string("staff"))])])),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", .object([("employeeNumber", .string("701984"))])),
        ("meta", .object([("created", .string("2026-01-01T09:00:00Z")), ("resourceType", .string("User"))])),
    ])
}

#if !FUZZING
/// Without libFuzzer: replays the files named on the command line (seeds, regressions).
@main struct Replay {
    static func main() throws { try Fuzz.replay("FuzzSCIM", fuzzSCIM) }
}
#endif
