import AsyncHTTPClient
import Connectors
import NIOFoundationCompat
import EmbeddedTarget
import Foundation
import HTTPServing
import IdentityCore
import MockSupport
import NIOCore
import NIOPosix
import NIOSSL
import OutboundHTTP
import ScenarioKit
import Synchronization
import Testing

/// Every party that listens serves HTTPS when given a certificate: TLS 1.2 and later,
/// HTTP/2 and HTTP/1.1 by ALPN, HSTS, and a refusal a client can read when it does not
/// trust the certificate.
struct TLSListenerTests {
    /// How long a call may take before it fails. Not a measure of speed: the servers here
    /// answer on the concurrency pool that the whole suite shares (two threads on two
    /// cores), and a call made while it is busiest has waited over 20 s.
    static let patience = Duration.seconds(60)

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The developer mock IdP on https under a CA made for the test.
    static func withMockIdP<T>(names: [String] = ["localhost", "127.0.0.1"], _ body: (String, RunTLS) async throws -> T) async throws -> T {
        let made = try DevelopmentCA.ephemeral(names: names)
        let tls = RunTLS(server: made.server, caCertificatePEM: made.caCertificatePEM)
        let mock = try await MockIdentityProvider(
            profile: try IdPProfile.developerDefault, directory: root, placeholders: Placeholders(values: [:], baseDirectory: root),
            clock: SystemWallClock(), random: SystemRandomSource())
        let server = try await mock.start(host: "127.0.0.1", port: 0, tls: tls.server, tap: nil)
        do {
            let result = try await body(server.baseURL, tls)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// A client of its own (shut down here), trusting `trust`, limited as asked.
    static func withClient<T>(
        _ trust: OutboundTrust, http1Only: Bool = false, maximumTLS: TLSVersion? = nil, _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        var configuration = HTTPClient.Configuration()
        var tls = try trust.tlsConfiguration()
        tls.maximumTLSVersion = maximumTLS
        if maximumTLS != nil { tls.minimumTLSVersion = .tlsv1 }
        configuration.tlsConfiguration = tls
        if http1Only { configuration.httpVersion = .http1Only }
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try await client.shutdown()
            throw error
        }
    }

    static func refusal(_ url: String, _ client: HTTPClient) async -> TLSError? {
        do {
            _ = try await client.execute(HTTPClientRequest(url: url), timeout: TimeAmount(Self.patience))
            return nil
        } catch {
            return OutboundHTTP.tlsFailure(in: error, url: url)
        }
    }

    @Test func aMockServesHTTP2AndHTTP11OverTLSAndNamesItselfByHTTPS() async throws {
        try await Self.withMockIdP { base, tls in
            #expect(base.hasPrefix("https://127.0.0.1:"))
            let discovery = base + "/dev/.well-known/openid-configuration"
            try await Self.withClient(tls.trust) { client in
                let response = try await client.execute(HTTPClientRequest(url: discovery), timeout: TimeAmount(Self.patience))
                #expect(response.status == .ok)
                #expect(response.version == .http2)
                let document = try JSONSerialization.jsonObject(with: Data(buffer: try await response.body.collect(upTo: 1 << 20))) as? [String: Any]
                #expect(document?["issuer"] as? String == base + "/dev")
            }
            try await Self.withClient(tls.trust, http1Only: true) { client in
                let response = try await client.execute(HTTPClientRequest(url: discovery), timeout: TimeAmount(Self.patience))
                #expect(response.status == .ok)
                #expect(response.version == .http1_1)
            }
        }
    }

    @Test func tlsOlderThan12IsRefused() async throws {
        try await Self.withMockIdP { base, tls in
            // The same client at TLS 1.2 is served: the refusal below is the version's.
            try await Self.withClient(tls.trust, maximumTLS: .tlsv12) { client in
                #expect(await Self.refusal(base + "/dev/.well-known/openid-configuration", client) == nil)
            }
            try await Self.withClient(tls.trust, maximumTLS: .tlsv11) { client in
                let refusal = await Self.refusal(base + "/dev/.well-known/openid-configuration", client)
                #expect(refusal?.code == .tlsHandshakeFailed)
                #expect(refusal?.detail.hasPrefix("127.0.0.1:") == true)
            }
        }
    }

    @Test func aClientThatDoesNotTrustTheCAIsRefusedNamingHostAndReason() async throws {
        try await Self.withMockIdP { base, _ in
            try await Self.withClient(.system) { client in
                let refusal = await Self.refusal(base + "/dev/.well-known/openid-configuration", client)
                #expect(refusal?.code == .tlsUntrustedPeer)
                #expect(refusal?.detail.contains("127.0.0.1: its certificate is not trusted") == true)
                #expect(refusal?.detail.contains("CERTIFICATE_VERIFY_FAILED") == true)
            }
        }
        // Trusted CA, but a certificate for another name.
        try await Self.withMockIdP(names: ["localhost"]) { base, tls in
            try await Self.withClient(tls.trust) { client in
                let refusal = await Self.refusal(base + "/dev/.well-known/openid-configuration", client)
                #expect(refusal?.code == .tlsUntrustedPeer)
                #expect(refusal?.detail.contains("does not name this host") == true)
            }
        }
    }

    @Test func hstsIsSentOverTLSToNamedHostsButNeverToLoopbackOnes() async throws {
        try await Self.withMockIdP { base, tls in
            try await Self.withClient(tls.trust, http1Only: true) { client in
                for (host, expected) in [("id.example.test", "max-age=31536000"), ("localhost", nil), ("127.0.0.1", nil)] {
                    var request = HTTPClientRequest(url: base + "/dev/.well-known/openid-configuration")
                    request.headers.replaceOrAdd(name: "Host", value: host)
                    let response = try await client.execute(request, timeout: TimeAmount(Self.patience))
                    #expect(response.headers.first(name: "Strict-Transport-Security") == expected, "Host: \(host)")
                }
            }
        }
        for (authority, applies) in [
            ("id.example.test:8443", true), ("ID.Example.Test", true), ("localhost:9443", false), ("app.localhost", false), ("[::1]:443", false),
            ("10.0.0.1", false), ("", false),
        ] {
            #expect(StrictTransportSecurity.applies(toAuthority: authority) == applies, "\(authority)")
        }
    }

    @Test func theServersCookiesAreSecureAndHostPrefixedUnderTLS() async throws {
        let tls = try RunTLS.make()
        let target = try EmbeddedTarget(configurationDirectory: Self.root.appendingPathComponent("Mocks/server"), tls: tls)
        let running = try await target.start(clock: FixedWallClock(Date()), seed: 1, settings: nil, tap: nil)
        do {
            #expect(running.baseURL.hasPrefix("https://127.0.0.1:"))
            try await Self.withClient(tls.trust) { client in
                let response = try await client.execute(HTTPClientRequest(url: running.baseURL + "/oauth2/device"), timeout: TimeAmount(Self.patience))
                let cookie = try #require(response.headers.first(name: "Set-Cookie"))
                #expect(cookie.hasPrefix("__Host-ih_browser="))
                for attribute in ["Secure", "HttpOnly", "Path=/", "SameSite=Lax"] { #expect(cookie.contains(attribute), "\(attribute)") }
                #expect(!cookie.contains("Domain"))
                let discovery = try await client.execute(HTTPClientRequest(url: running.baseURL + "/.well-known/openid-configuration"), timeout: TimeAmount(Self.patience))
                let document = try JSONSerialization.jsonObject(with: Data(buffer: try await discovery.body.collect(upTo: 1 << 20))) as? [String: Any]
                #expect(document?["issuer"] as? String == running.baseURL)
            }
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }

    /// The server's calls to a federated IdP: a private CA named in its trust is accepted;
    /// without it the call fails with `tls.untrusted_peer`, naming the host and why.
    @Test func theServerReachesAnIdPUnderAPrivateCAOnlyWhenItTrustsIt() async throws {
        try await Self.withMockIdP { base, tls in
            let discovery = base + "/dev/.well-known/openid-configuration"
            let trusted = UpstreamHTTP(client: try OutboundHTTP.client(tls.trust), timeout: Self.patience)
            #expect(try await trusted.send("GET", discovery).status == 200)
            let untrusted = UpstreamHTTP(client: try OutboundHTTP.client(.system), timeout: Self.patience)
            let error = await #expect(throws: ConnectorError.self) { try await untrusted.send("GET", discovery) }
            #expect(error?.code == .tlsUntrustedPeer)
            #expect(error?.detail.contains("127.0.0.1: its certificate is not trusted") == true, "\(error?.detail ?? "")")
        }
    }

    /// The connections a peer that refuses every TLS handshake accepted.
    final class RefusingPeer: Sendable {
        let accepted = Mutex(0)
    }

    /// A peer that refuses the handshake refuses it again: the server's calls try it once
    /// and fail with the reason, instead of retrying until the deadline (a federated login
    /// to an IdP with a bad certificate failed only after the upstream timeout).
    @Test func aPeerThatRefusesTheHandshakeIsTriedOnceNotUntilTheDeadline() async throws {
        let peer = RefusingPeer()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                peer.accepted.withLock { $0 += 1 }
                channel.close(promise: nil)
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress?.port ?? 0
        // A deadline well short of `patience`: a client that hung until it would fail with
        // `upstream_timeout`, not the refusal expected here.
        let upstream = UpstreamHTTP(client: try OutboundHTTP.client(.system), timeout: .seconds(20))
        let error = await #expect(throws: ConnectorError.self) { try await upstream.send("GET", "https://127.0.0.1:\(port)/.well-known/openid-configuration") }
        try await listener.close()
        // Which refusal the client reads depends on when the close reaches it: while the
        // ClientHello is still being written (a reset: `connector.upstream_failed`) or once
        // the handshake is under way (EOF during the handshake: `tls.handshake_failed`).
        // Both are the peer's answer; the deadline's `connector.upstream_timeout` is not.
        #expect([ErrorCode.connectorUpstreamFailed, .tlsHandshakeFailed].contains(error?.code), "\(String(describing: error))")
        #expect(peer.accepted.withLock { $0 } == 1)
    }

    @Test func aCertificateOrKeyThatCannotBeServedFailsTheStartWithItsCode() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ih-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let authority = DevelopmentCA(directory: directory)
        try authority.prepare()
        let (certificate, key) = (authority.certificateFile.path, authority.keyFile.path)
        #expect(throws: TLSError(.tlsCertificateUnreadable, detail: "")) {
            try ServerTLS(certificateFile: directory.appendingPathComponent("missing.pem").path, privateKeyFile: key)
        }
        #expect(throws: TLSError(.tlsCertificateUnreadable, detail: "")) { try ServerTLS(certificateFile: key, privateKeyFile: key) }
        #expect(throws: TLSError(.tlsKeyUnreadable, detail: "")) { try ServerTLS(certificateFile: certificate, privateKeyFile: certificate) }
        // The CA's key is a key, but not the server certificate's.
        #expect(throws: TLSError(.tlsKeyMismatch, detail: "")) {
            try ServerTLS(certificateFile: certificate, privateKeyFile: directory.appendingPathComponent("ca-key.pem").path)
        }
        #expect(try ServerTLS(certificateFile: certificate, privateKeyFile: key).certificateChain.count == 1)
    }
}
