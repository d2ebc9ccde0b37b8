public import Hummingbird

/// A Hummingbird application running inside this process on a loopback port, as the
/// harness and the tests run the server and the mocks: started on port 0, stopped by
/// cancelling its task.
public final class InProcessServer: Sendable {
    /// `http://127.0.0.1:<port>`.
    public let baseURL: String
    private let task: Task<Void, any Error>

    private init(baseURL: String, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.task = task
    }

    /// Builds the application with a callback that receives its URL once it listens,
    /// runs it, and returns when it is listening.
    public static func start<App: ApplicationProtocol>(
        _ makeApplication: (@escaping @Sendable (String) async -> Void) -> App
    ) async throws -> InProcessServer {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let application = makeApplication { url in continuation.yield(url) }
        let task = Task {
            defer { continuation.finish() }
            try await application.runService(gracefulShutdownSignals: [])
        }
        for await url in stream {
            return InProcessServer(baseURL: url, task: task)
        }
        // The stream finished without a URL: the application failed to start.
        try await task.value
        throw CancellationError()
    }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
