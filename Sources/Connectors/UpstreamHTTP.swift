public import AsyncHTTPClient
import OutboundHTTP
public import Foundation
import IdentityCore
import NIOCore
import NIOHTTP1
import NIOFoundationCompat
import OIDC

/// The back channel to an IdP: small requests, bounded answers, a deadline for the whole
/// exchange (connecting, sending, reading every byte), and one error code for anything
/// that is not a readable HTTP answer, another for running out of time. Public so every
/// outbound call of the server (the SP-metadata fetch too) goes through the same limits.
public struct UpstreamHTTP: Sendable {
    public static let maximumBody = 1024 * 1024
    let client: HTTPClient
    let timeout: Duration
    let maximumBody: Int

    public init(client: HTTPClient, timeout: Duration, maximumBody: Int = UpstreamHTTP.maximumBody) {
        self.client = client
        self.timeout = timeout
        self.maximumBody = maximumBody
    }

    /// How long after the client's deadline the whole exchange is given up.
    static let bodyGrace = Duration.milliseconds(500)

    public struct Answer: Sendable {
        public var status: Int
        public var contentType: String
        public var body: Data
        /// `Retry-After`, in seconds, when the peer sent one as a number (RFC 9110 §10.2.3).
        public var retryAfter: Int? = nil

        /// The body as a JSON object, or nil.
        var json: [String: ClaimValue]? { try? JSONDecoder().decode([String: ClaimValue].self, from: body) }
    }

    /// One exchange; `body` (content type and bytes) for a request that is not a form.
    public func send(
        _ method: String, _ url: String, headers: [(String, String)] = [], form: [(String, String)]? = nil,
        body: (contentType: String, bytes: Data)? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "User-Agent", value: "identity-harness-server")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: URLEncoding.query(form)))
        } else if let body {
            request.headers.add(name: "Content-Type", value: body.contentType)
            request.body = .bytes(ByteBuffer(bytes: body.bytes))
        }
        let prepared = request
        do {
            // Up to the response head, AsyncHTTPClient's own deadline alone decides, so what
            // it was doing then decides the code: a connection that fails is refused at once
            // (the client does not retry it, see OutboundHTTP) — `upstream_failed`, or a
            // `tls.*` code for a handshake that failed — and waiting for an answer is
            // `upstream_timeout`. A deadline of ours here would race it and,
            // on a loaded machine, sometimes win with "timeout" for an IdP that is down. Our
            // deadline bounds only the body, which may trickle in after the head.
            let started = ContinuousClock.now
            let response = try await client.execute(prepared, timeout: TimeAmount(timeout))
            let remaining = max(timeout - (ContinuousClock.now - started), .zero) + Self.bodyGrace
            let body = try await Deadline.run(within: remaining) { [maximumBody] in
                try await response.body.collect(upTo: maximumBody)
            }
            return Answer(
                status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type") ?? String(), body: Data(buffer: body),
                retryAfter: response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        } catch is Deadline.Exceeded {
            throw ConnectorError(
                .connectorUpstreamTimeout, value: url, detail: "the identity provider did not answer within \(timeout.components.seconds) s")
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            throw ConnectorError(
                .connectorUpstreamTimeout, value: url, detail: "the identity provider did not answer within \(timeout.components.seconds) s")
        } catch {
            // A TLS failure keeps its own code and says which host and why (an untrusted
            // CA, a name mismatch), so a private CA missing from `trustedCAs` is recognised
            // at once.
            if let failure = OutboundHTTP.tlsFailure(in: error, url: url) {
                throw ConnectorError(carrying: failure.code, field: "host", value: url, detail: "the identity provider could not be reached: \(failure.detail)")
            }
            throw ConnectorError(.connectorUpstreamFailed, value: url, detail: "the identity provider could not be reached: \(error)")
        }
    }

    /// A JSON object from a successful answer.
    func json(_ method: String, _ url: String, headers: [(String, String)] = [], what: String) async throws -> [String: ClaimValue] {
        let answer = try await send(method, url, headers: headers)
        guard answer.status == 200 else {
            throw ConnectorError(.connectorUpstreamFailed, value: String(answer.status), detail: "\(what) answered HTTP \(answer.status)")
        }
        guard let object = answer.json else {
            throw ConnectorError(.connectorResponseMalformed, detail: "\(what) did not answer with a JSON object")
        }
        return object
    }
}

/// Claims as the engine takes them: every JSON value as strings. Arrays give several
/// values; nested objects are flattened with dotted names (`picture.data.url`).
enum ClaimFlattening {
    static func flatten(_ claims: [String: ClaimValue]) -> [String: [String]] {
        var result = [String: [String]]()
        func add(_ name: String, _ value: ClaimValue) {
            switch value {
            case .string(let s): result[name, default: []].append(s)
            case .bool(let b): result[name, default: []].append(b ? "true" : "false")
            case .number(let n): result[name, default: []].append(String(n))
            case .array(let items): for item in items { add(name, item) }
            case .object(let members): for (key, member) in members { add("\(name).\(key)", member) }
            }
        }
        for (name, value) in claims { add(name, value) }
        return result
    }

    /// The person's ID: the first value of the user ID claim, which must not be empty.
    static func subject(_ claims: [String: [String]], claim: String) throws(ConnectorError) -> String {
        guard let value = claims[claim]?.first, !value.isEmpty else {
            throw ConnectorError(.connectorUserIDMissing, field: claim, detail: "the identity provider's answer has no '\(claim)' (its user ID claim)")
        }
        return value
    }
}
