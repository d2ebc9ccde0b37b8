/// The error catalogue: `storage.*` — every store.
extension ErrorCode {
    public static let storageNotFound = ErrorCode(
        "storage.not_found", status: 404,
        message: "What the request names does not exist.",
        summary: "No record with that key.")
    public static let storageAlreadyExists = ErrorCode(
        "storage.already_exists", status: 409,
        message: "Something with that name already exists.",
        summary: "A unique key (name, issuer, client ID, username, federated link) is taken.")
    public static let storageUnavailable = ErrorCode(
        "storage.unavailable", status: 503,
        message: "The server cannot reach its storage. Try again in a moment.",
        summary: "The backend failed (disk, corruption); the log says how.")
}

extension ErrorCatalogue {
    static let storage: [ErrorCode] = [
        .storageNotFound, .storageAlreadyExists, .storageUnavailable,
    ]
}
