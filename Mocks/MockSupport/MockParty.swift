public import Foundation
public import HTTPServing
import Hummingbird

/// A mock party a scenario runs: it listens somewhere and records what it saw.
public protocol MockParty: AnyObject, Sendable {
    /// Starts listening on `host:port` (0: a free port) inside this process, over TLS with
    /// `tls`; with a tap, what it receives on the back channel is recorded there.
    func start(host: String, port: Int, tls: ServerTLS?, tap: TrafficTap?) async throws -> InProcessServer
    /// Every observation so far, as a JSON array.
    func encodedObservations() throws -> Data
}

extension MockServiceProvider: MockParty {
    public func start(host: String, port: Int = 0, tls: ServerTLS? = nil, tap: TrafficTap? = nil) async throws -> InProcessServer {
        try await InProcessServer.start(logger: Self.logger()) { onListening in
            application(host: host, port: port, tls: tls, tap: tap, onListening: onListening)
        }
    }

    public func encodedObservations() throws -> Data { try JSONEncoder().encode(observations) }
}

extension MockRelyingParty: MockParty {
    public func start(host: String, port: Int = 0, tls: ServerTLS? = nil, tap: TrafficTap? = nil) async throws -> InProcessServer {
        try await InProcessServer.start(logger: MockServiceProvider.logger()) { onListening in
            application(host: host, port: port, tls: tls, tap: tap, onListening: onListening)
        }
    }

    public func encodedObservations() throws -> Data { try JSONEncoder().encode(observations) }
}

extension MockIdentityProvider: MockParty {
    public func start(host: String, port: Int = 0, tls: ServerTLS? = nil, tap: TrafficTap? = nil) async throws -> InProcessServer {
        try await InProcessServer.start(logger: MockServiceProvider.logger()) { onListening in
            application(host: host, port: port, tls: tls, tap: tap, onListening: onListening)
        }
    }

    public func encodedObservations() throws -> Data { try JSONEncoder().encode(observations) }
}
