public import Hummingbird
public import Logging
import ServiceLifecycle

/// A Hummingbird application running inside this process on a loopback port, as the
/// harness and the tests run the server and the mocks: started on port 0, stopped by a
/// graceful shutdown of its service group (open connections finish, nothing is logged
/// as an error). A request still running after ``gracePeriod`` — a mock told to stall —
/// is cancelled, so stopping never waits on a misbehaving party.
public final class InProcessServer: Sendable {
    /// `http://127.0.0.1:<port>` (`https` when it serves TLS).
    public let baseURL: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(baseURL: String, group: ServiceGroup, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.group = group
        self.task = task
    }

    /// Builds the application with a callback that receives its URL once it listens,
    /// runs it, and returns when it is listening.
    public static func start<App: ApplicationProtocol>(
        logger: Logger = Logger(label: "in-process-server"),
        _ makeApplication: (@escaping @Sendable (String) async -> Void) throws -> App
    ) async throws -> InProcessServer {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let application = try makeApplication { url in continuation.yield(url) }
        var configuration = ServiceGroupConfiguration(services: [application], gracefulShutdownSignals: [], logger: logger)
        configuration.maximumGracefulShutdownDuration = gracePeriod
        let group = ServiceGroup(configuration: configuration)
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await url in stream {
            return InProcessServer(baseURL: url, group: group, task: task)
        }
        // The stream finished without a URL: the application failed to start.
        try await task.value
        throw CancellationError()
    }

    public static let gracePeriod = Duration.seconds(2)

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
