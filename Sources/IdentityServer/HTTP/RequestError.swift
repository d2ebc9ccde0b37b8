public import IdentityCore

/// Problems with the HTTP request itself (and the server's own failures, and the admin
/// API being off).
public enum RequestArea: ErrorArea {
    public static let codeAreas: Set<String> = ["request", "server", "admin"]
}
public typealias RequestError = CodedFailure<RequestArea>
