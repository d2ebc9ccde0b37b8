import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Calls the server's admin REST API (configuration before a scenario, state after it).
struct AdminClient: Sendable {
    let client: HTTPClient
    let target: any RunningTarget
    /// Where the calls go: the target's admin API, or another listener that takes the same
    /// admin credentials (a test-control port).
    var baseURL: String

    init(client: HTTPClient, target: any RunningTarget, baseURL: String? = nil) {
        self.client = client
        self.target = target
        self.baseURL = baseURL ?? target.adminURL
    }

    /// How the harness's own admin calls show in traffic.
    static let userAgent = "identity-harness"

    struct Reply {
        let status: Int
        let body: JSONValue?
    }

    /// `user` (`name:password`) replaces the admin credentials, for the user-facing API.
    func send(_ method: String, _ path: String, json: String? = nil, user: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        let credentials = Data((user ?? "\(target.adminUsername):\(target.adminPassword)").utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.executeNamingTLSFailures(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
        let data = Data(buffer: body)
        return Reply(status: Int(response.status.code), body: data.isEmpty ? nil : try? JSONValue(parsing: data))
    }

    /// Sends and requires a 2xx answer.
    func require(_ method: String, _ path: String, json: String? = nil, what: String) async throws -> JSONValue? {
        let reply = try await send(method, path, json: json)
        guard (200..<300).contains(reply.status) else {
            throw ScenarioError.setup("\(what): \(method) \(path) answered \(reply.status) \(reply.body?.compact ?? "")")
        }
        return reply.body
    }
}
