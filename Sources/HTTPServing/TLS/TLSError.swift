public import IdentityCore

/// `tls.*`: a listener's certificate and key, the development CA, a TLS peer.
public enum TLSArea: ErrorArea {
    public static let codeAreas: Set<String> = ["tls"]
}

public typealias TLSError = CodedFailure<TLSArea>
