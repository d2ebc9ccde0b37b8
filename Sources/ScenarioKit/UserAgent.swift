public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SAML

/// One HTTP exchange the browser made.
public struct Hop: Sendable, Equatable {
    public var method: String
    public var url: String
    public var status: Int
    public var location: String?
    /// Names of the form fields posted (values are volatile or secret).
    public var posted: [String]?

    /// `POST {sp}/acs [RelayState, SAMLResponse] → 200`
    public var line: String {
        var s = "\(method) \(url)"
        if let posted { s += " [\(posted.joined(separator: ", "))]" }
        s += " → \(status)"
        if let location { s += " \(location)" }
        return s
    }
}

/// Where a navigation ended.
public struct Navigation: Sendable {
    public var hops: [Hop]
    public var url: String
    public var status: Int
    public var page: HTMLPage
    public var body: String
}

/// A headless browser: a cookie jar, redirects followed one hop at a time (each hop
/// recorded), and SAML POST-binding forms submitted the way a browser's onload script
/// would. It runs no scripts and fetches no subresources.
public actor UserAgent {
    public static let maximumHops = 20
    private let client: HTTPClient
    /// Cookies by host (not port, as browsers do: RFC 6265 §8.5) and name.
    private var cookies: [String: [String: String]] = [:]

    public init(client: HTTPClient) {
        self.client = client
    }

    public func clearCookies() {
        cookies = [:]
    }

    /// Requests `url` and follows redirects and auto-posting SAML forms to a page.
    public func navigate(_ method: String, _ url: String, form: [(String, String)]? = nil) async throws -> Navigation {
        var hops = [Hop]()
        var method = method
        var url = url
        var form = form
        while true {
            guard hops.count < Self.maximumHops else {
                throw ScenarioError.navigation("more than \(Self.maximumHops) hops; last at \(url)")
            }
            let (status, headers, body) = try await send(method, url, form: form)
            let location = headers.first(name: "location").map { resolve($0, against: url) }
            hops.append(Hop(method: method, url: url, status: status, location: location, posted: form?.map(\.0)))
            if (300..<400).contains(status), let location {
                (method, url, form) = ("GET", location, nil)
                continue
            }
            let page = HTMLPage(html: body)
            if status == 200, let autoPost = page.forms.first, page.forms.count == 1, autoPost.isSAMLAutoPost {
                (method, url, form) = ("POST", resolve(autoPost.action, against: url), autoPost.fields.map { ($0.name, $0.value) })
                continue
            }
            return Navigation(hops: hops, url: url, status: status, page: page, body: body)
        }
    }

    private func send(_ method: String, _ url: String, form: [(String, String)]?) async throws -> (Int, HTTPHeaders, String) {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw ScenarioError.navigation("not a URL: \(url)")
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        if let jar = cookies[host], !jar.isEmpty {
            request.headers.add(name: "Cookie", value: jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: URLEncoding.query(form.map { ($0.0, $0.1) })))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
        for header in response.headers[canonicalForm: "set-cookie"] {
            store(String(header), host: host)
        }
        return (Int(response.status.code), response.headers, String(buffer: body))
    }

    private func store(_ header: String, host: String) {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { return }
        let name = String(pair[..<equals])
        let value = String(pair[pair.index(after: equals)...])
        let expired = parts.dropFirst().contains { $0.lowercased() == "max-age=0" } || value.isEmpty
        if expired {
            cookies[host]?[name] = nil
        } else {
            cookies[host, default: [:]][name] = value
        }
    }

    private func resolve(_ reference: String, against base: String) -> String {
        URL(string: reference, relativeTo: URL(string: base))?.absoluteString ?? reference
    }
}

/// Why a scenario could not run (as opposed to ran and did not match its vector).
public enum ScenarioError: Error, CustomStringConvertible {
    case navigation(String)
    case invalid(String)
    case setup(String)
    case expectation(String)

    public var description: String {
        switch self {
        case .navigation(let s): "navigation: \(s)"
        case .invalid(let s): "invalid scenario: \(s)"
        case .setup(let s): "setup: \(s)"
        case .expectation(let s): "expectation failed: \(s)"
        }
    }
}
