/// The error catalogue: `scim.*` — the SCIM 2.0 service provider (PR-1), each with the
/// HTTP status and `scimType` of RFC 7644 §3.12.
extension ErrorCode {
    public static let scimInvalidFilter = ErrorCode(
        "scim.invalid_filter", status: 400, scim: "invalidFilter",
        message: "The filter is not a valid SCIM filter.",
        summary: "PR-1, RFC 7644 §3.4.2.2: filter syntax, an unknown attribute or operator, or a filter longer or deeper than the server evaluates.")
    public static let scimInvalidPath = ErrorCode(
        "scim.invalid_path", status: 400, scim: "invalidPath",
        message: "The attribute path is not valid.",
        summary: "PR-1, RFC 7644 §3.5.2: a PATCH path (or attributes/sortBy name) that is malformed or names no attribute of the resource.")
    public static let scimNoTarget = ErrorCode(
        "scim.no_target", status: 400, scim: "noTarget",
        message: "The operation names nothing to change.",
        summary: "PR-1, RFC 7644 §3.5.2: a PATCH remove without a path, or a value filter that selects no value.")
    public static let scimInvalidValue = ErrorCode(
        "scim.invalid_value", status: 400, scim: "invalidValue",
        message: "A value is missing, of the wrong type, or not allowed.",
        summary: "PR-1, RFC 7644 §3.12: a required attribute missing, a value of the wrong type, or a username the account rules refuse.")
    public static let scimInvalidSyntax = ErrorCode(
        "scim.invalid_syntax", status: 400, scim: "invalidSyntax",
        message: "The request body is not a valid SCIM message.",
        summary: "PR-1, RFC 7644 §3.12: not JSON, the wrong `schemas`, or a PATCH/Bulk message of the wrong shape.")
    public static let scimMutability = ErrorCode(
        "scim.mutability", status: 400, scim: "mutability",
        message: "The request changes an attribute that cannot be changed.",
        summary: "PR-1, RFC 7643 §2.2: a readOnly (id, meta, groups) or immutable attribute written.")
    public static let scimUniqueness = ErrorCode(
        "scim.uniqueness", status: 409, scim: "uniqueness",
        message: "A resource with that unique value already exists.",
        summary: "PR-1: a userName (or group displayName) already taken in that user store.")
    public static let scimSensitive = ErrorCode(
        "scim.sensitive", status: 400, scim: "sensitive",
        message: "The request would reveal or use a value that is never disclosed.",
        summary: "PR-1, RFC 7644 §3.12: a filter or sort on password, which is writeOnly.")
    public static let scimPreconditionFailed = ErrorCode(
        "scim.precondition_failed", status: 412,
        message: "The resource has changed since the version the request names.",
        summary: "PR-1, RFC 7644 §3.14: If-Match names an ETag that is no longer the resource's.")
    public static let scimNotFound = ErrorCode(
        "scim.not_found", status: 404,
        message: "No such resource.",
        summary: "PR-1: a Users or Groups id that does not exist (in this tenant).")
    public static let scimMethodNotAllowed = ErrorCode(
        "scim.method_not_allowed", status: 405,
        message: "This endpoint does not take that method.",
        summary: "PR-1, RFC 7644 §4: a POST, PUT, PATCH or DELETE to a read-only discovery endpoint (ServiceProviderConfig, ResourceTypes, Schemas).")
    public static let scimTooLarge = ErrorCode(
        "scim.too_large", status: 413,
        message: "The Bulk request has more operations or bytes than the server accepts.",
        summary: "PR-1, RFC 7644 §3.7.4: more operations than ServiceProviderConfig's bulk.maxOperations, or a body over bulk.maxPayloadSize.")
    public static let scimUnresolvedReference = ErrorCode(
        "scim.unresolved_reference", status: 409, scim: "invalidValue",
        message: "A bulkId reference names no resource created earlier in the request.",
        summary: "PR-1, RFC 7644 §3.7.2: `bulkId:x` where no earlier operation of the Bulk request created x (or it failed).")
    public static let scimForbidden = ErrorCode(
        "scim.forbidden", status: 403,
        message: "The token does not allow this operation.",
        summary: "PR-1: a bearer token without the scope the request needs (scim:read to read, scim:write to change, scim:me for /Me).")
    public static let scimUnauthorized = ErrorCode(
        "scim.unauthorized", status: 401,
        message: "Authentication is required.",
        summary: "PR-1: no valid HTTP Basic admin credentials, nor a live bearer access token (and /Me only with a person's token).")
}

extension ErrorCatalogue {
    static let scim: [ErrorCode] = [
        .scimInvalidFilter, .scimInvalidPath, .scimNoTarget, .scimInvalidValue, .scimInvalidSyntax, .scimMutability, .scimUniqueness,
        .scimSensitive, .scimPreconditionFailed, .scimNotFound, .scimMethodNotAllowed, .scimTooLarge, .scimUnresolvedReference, .scimForbidden, .scimUnauthorized,
    ]
}
