public import ServiceLifecycle

/// Delivers queued provisioning in the background, beside the HTTP server: at once when
/// something is queued in this process, and once a second for what other instances
/// queued and for retries coming due.
public struct ProvisioningWorker: Service {
    let provisioner: OutboundProvisioner

    public init(provisioner: OutboundProvisioner) {
        self.provisioner = provisioner
    }

    public func run() async throws {
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
    }
}
