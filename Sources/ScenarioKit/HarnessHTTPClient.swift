public import AsyncHTTPClient
import NIOCore
public import OutboundHTTP

extension HTTPClient {
    /// The client the harness drives parties with — its browser and its back channel —
    /// made by each command and shut down by it: redirects are not followed (the browser
    /// records each hop itself), and https peers are checked against the system's CAs and
    /// those `trust` adds (a target's `caBundle`, a `--tls` run's CA), or not at all when
    /// `trust` says `insecureSkipVerify`. It speaks HTTP/1.1 over https too, so a run over
    /// TLS meets the same request limits as a plain one: over HTTP/2 SwiftNIO takes at most
    /// 16 KiB of request headers (a URL included), which Hummingbird does not let a server
    /// raise, against 80 KiB over HTTP/1.1 — and the suite sends a SAML HTTP-Redirect
    /// message between the two on purpose. That the parties serve HTTP/2 is tested apart
    /// (`TLSListenerTests`).
    public static func harness(trusting trust: OutboundTrust = .system) throws -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.tlsConfiguration = try trust.tlsConfiguration()
        configuration.httpVersion = .http1Only
        // A peer that refuses the handshake refuses it again: fail at once with the reason
        // instead of retrying until the request's deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}

extension HTTPClient {
    /// `execute`, with a TLS failure thrown as the coded error that names the peer's host
    /// and the reason (``OutboundHTTP/tlsFailure(in:host:)``): a scenario against an https
    /// party the harness cannot verify fails saying so, never with a bare handshake error.
    func executeNamingTLSFailures(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        do {
            return try await execute(request, timeout: timeout)
        } catch {
            if let failure = OutboundHTTP.tlsFailure(in: error, url: request.url) { throw failure }
            throw error
        }
    }
}
