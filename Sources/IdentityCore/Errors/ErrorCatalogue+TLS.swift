/// The error catalogue: `tls.*` — HTTPS listeners, the development CA, and TLS clients.
extension ErrorCode {
    public static let tlsCertificateUnreadable = ErrorCode(
        "tls.certificate_unreadable", status: 500,
        message: "The TLS certificate could not be read.",
        summary: "A listener's certificate file is missing, unreadable or holds no PEM certificate.")
    public static let tlsKeyUnreadable = ErrorCode(
        "tls.key_unreadable", status: 500,
        message: "The TLS private key could not be read.",
        summary: "A listener's private key file is missing, unreadable, encrypted or not a PEM key.")
    public static let tlsKeyMismatch = ErrorCode(
        "tls.key_mismatch", status: 500,
        message: "The TLS private key does not belong to the certificate.",
        summary: "A listener's key and the first certificate of its chain are not a pair.")
    public static let tlsDevelopmentCA = ErrorCode(
        "tls.development_ca", status: 500,
        message: "The development CA could not be created or read.",
        summary: "The local development CA's directory is not writable, is not the user's or others can write to it, or holds files that are not its CA and certificates.")
    public static let tlsNotConfigured = ErrorCode(
        "tls.not_configured", status: 500,
        message: "An https-only option was given to a server without TLS.",
        summary: "An option that needs the server on https (a plain port that redirects to it) without a certificate to serve.")
    public static let tlsUntrustedPeer = ErrorCode(
        "tls.untrusted_peer", status: 502,
        message: "The peer's TLS certificate is not trusted.",
        summary: "An https peer presented a certificate that does not chain to a trusted CA, has expired, or does not name the host; the detail names the host and the reason.")
    public static let tlsHandshakeFailed = ErrorCode(
        "tls.handshake_failed", status: 502,
        message: "The TLS handshake with the peer failed.",
        summary: "An https peer and this client agreed on no protocol version or cipher, or the peer closed the connection during the handshake.")
}

extension ErrorCatalogue {
    static let tls: [ErrorCode] = [
        .tlsCertificateUnreadable, .tlsKeyUnreadable, .tlsKeyMismatch, .tlsDevelopmentCA, .tlsNotConfigured, .tlsUntrustedPeer, .tlsHandshakeFailed,
    ]
}
