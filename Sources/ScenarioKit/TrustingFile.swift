public import Foundation
public import OutboundHTTP

/// A target or app file that may say which CAs its https endpoints chain to.
public protocol TrustingFile {
    var caBundle: String? { get }
    var insecureSkipVerify: Bool? { get }
    var directory: URL { get }
}

extension TrustingFile {
    /// What the harness's client trusts for this file: the system's CAs and its
    /// `caBundle` (relative to the file), or nothing checked with `insecureSkipVerify`.
    public var trust: OutboundTrust {
        OutboundTrust(
            caBundles: caBundle.map { [URL(fileURLWithPath: $0, relativeTo: directory).path] } ?? [], insecureSkipVerify: insecureSkipVerify ?? false)
    }

    /// The run summary's line when certificates go unchecked, else nil.
    public var insecureNotice: String? {
        insecureSkipVerify == true
            ? "⚠ insecureSkipVerify: no TLS certificate was checked in this run — its results say nothing about the peers' https"
            : nil
    }
}
