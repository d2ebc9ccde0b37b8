public import ServiceLifecycle

/// Delivers queued provisioning in the background, beside the HTTP server: at once when
/// something is queued in this process, and once a second for what other instances
/// queued and for retries coming due.
public struct ProvisioningWorker: Service {
    let provisioner: OutboundProvisioner

    public init(provisioner: OutboundProvisioner) {
        self.provisioner = provisioner
    }

    /// Returns when the server shuts down. The cancellation that ends its wait is how a
    /// graceful shutdown reaches it, not a failure: thrown on, it made the whole process
    /// exit with status 1 on every SIGTERM.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var nextScan = ContinuousClock.now
                while !Task.isCancelled {
                    if provisioner.signal.take() || ContinuousClock.now >= nextScan {
                        await provisioner.deliverDue()
                        nextScan = ContinuousClock.now + .seconds(1)
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
