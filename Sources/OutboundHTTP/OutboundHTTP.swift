public import AsyncHTTPClient
public import HTTPServing
import Foundation
import NIOSSL
import Synchronization

/// The HTTP clients a party's calls go through, one per ``OutboundTrust``.
public enum OutboundHTTP {
    private struct Key: Hashable {
        let trust: OutboundTrust
        let followsRedirects: Bool
    }
    private static let clients = Mutex<[Key: HTTPClient]>([:])

    /// The client for `trust`, made on first use and kept for the life of the process, as
    /// `HTTPClient.shared` is (so nobody must shut it down, and a trust asked for again
    /// reuses its connections). The configuration is the shared client's (browser-like
    /// timeouts) with this trust's TLS — TLS 1.2 at least, where the shared client would
    /// take 1.0; `followsRedirects: false` for calls whose redirect is an answer meant for
    /// a browser.
    public static func client(_ trust: OutboundTrust, followsRedirects: Bool = true) throws(TLSError) -> HTTPClient {
        let key = Key(trust: trust, followsRedirects: followsRedirects)
        if let made = clients.withLock({ $0[key] }) { return made }
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.tlsConfiguration = try trust.tlsConfiguration()
        if !followsRedirects { configuration.redirectConfiguration = .disallow }
        // A connection that fails — refused, or a handshake the peer rejects (an untrusted
        // certificate) — fails its request at once with the reason. By default the pool
        // retries with backoff until the request's deadline, so a federated login to an IdP
        // whose certificate is not trusted failed only after the upstream timeout. Callers
        // that retry (outbound provisioning) do so on their own schedule.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        return clients.withLock { clients in
            if let raced = clients[key] {
                // Another caller made one first; ours was never used. Shutting it down
                // without waiting is enough: it holds no connections.
                client.shutdown { _ in }
                return raced
            }
            clients[key] = client
            return client
        }
    }

    /// `error`, when it is a TLS failure reaching `host`, as a coded error naming the host
    /// and BoringSSL's reason (`certificate verify failed`, `wrong version number`) —
    /// never a bare "handshake failed". nil for any other error.
    public static func tlsFailure(in error: any Error, url: String) -> TLSError? {
        tlsFailure(in: error, host: URLComponents(string: url)?.host ?? url)
    }

    /// ``tlsFailure(in:url:)`` for a peer known by its host.
    public static func tlsFailure(in error: any Error, host: String) -> TLSError? {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return TLSError(.tlsUntrustedPeer, field: "host", value: host, detail: "\(host): the certificate does not name this host (\(extra))")
        }
        // Only the handshake: a connection dropped later (an unclean shutdown mid-answer)
        // is the same failure it is over plain http, and keeps its own error.
        guard let ssl = error as? NIOSSLError, case .handshakeFailed(let failure) = ssl else { return nil }
        if case .sslError(let stack) = failure {
            let reasons = stack.map(\.description).joined(separator: "; ")
            let untrusted = reasons.contains("CERTIFICATE_VERIFY_FAILED") || reasons.contains("certificate verify failed")
            return TLSError(
                untrusted ? .tlsUntrustedPeer : .tlsHandshakeFailed, field: "host", value: host,
                detail: "\(host): \(untrusted ? "its certificate is not trusted" : "the TLS handshake failed") (\(reasons))")
        }
        return TLSError(.tlsHandshakeFailed, field: "host", value: host, detail: "\(host): the TLS handshake failed (\(failure))")
    }
}
