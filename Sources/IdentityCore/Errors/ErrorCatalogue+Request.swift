/// The error catalogue: `request.*`, `server.*`, `admin.*` — the HTTP layer and the admin API.
extension ErrorCode {
    public static let requestTooLarge = ErrorCode(
        "request.too_large", status: 413,
        message: "The request is larger than this server accepts.",
        summary: "A request body over the route's limit (1 MiB; 256 KiB for metadata).")
    public static let requestTooManyFields = ErrorCode(
        "request.too_many_fields", status: 400,
        message: "The request has too many fields.",
        summary: "A form or query with more than 256 fields, refused before any is decoded.")
    public static let requestMissingField = ErrorCode(
        "request.missing_field", status: 400,
        message: "The request lacks a field it needs.",
        summary: "A required form, query or body field is absent or empty.")
    public static let requestUnsupportedMediaType = ErrorCode(
        "request.unsupported_media_type", status: 415,
        message: "Send the document as JSON or YAML.",
        summary: "An admin body of another type than JSON or YAML (a cross-site form cannot drive the API).")
    public static let requestUnauthorized = ErrorCode(
        "request.unauthorized", status: 401,
        message: "Credentials are required.",
        summary: "No or wrong HTTP Basic credentials.")
    public static let requestThrottled = ErrorCode(
        "request.throttled", status: 429,
        message: "Too many failed sign-ins from this address. Try again later.",
        summary: "AU-7: the client address has used up its failed credential checks for the window.")
    public static let requestInvalidParameter = ErrorCode(
        "request.invalid_parameter", status: 400,
        message: "A query parameter has a value that is not allowed.",
        summary: "An admin API query parameter outside its allowed values (the error's field names it).")
    public static let serverInternalError = ErrorCode(
        "server.internal_error", status: 500,
        message: "The server could not complete the request.",
        summary: "An unexpected failure; the log has the details.")
    public static let adminDisabled = ErrorCode(
        "admin.disabled", status: 403,
        message: "The admin API is turned off on this server.",
        summary: "server.yaml has no admin credentials.")
}

extension ErrorCatalogue {
    static let request: [ErrorCode] = [
        .requestTooLarge, .requestTooManyFields, .requestMissingField, .requestUnsupportedMediaType,
        .requestUnauthorized, .requestThrottled, .requestInvalidParameter, .serverInternalError, .adminDisabled,
    ]
}
