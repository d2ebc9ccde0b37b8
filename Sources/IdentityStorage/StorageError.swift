public import IdentityCore

/// Errors every store reports the same way, whatever the backend.
public enum StorageArea: ErrorArea {}
public typealias StorageError = CodedFailure<StorageArea>

extension StorageError {
    public static func notFound(_ what: String, _ key: String) -> StorageError {
        StorageError(.storageNotFound, value: key, detail: "no \(what) '\(key)'")
    }

    public static func alreadyExists(_ what: String, field: String, _ key: String) -> StorageError {
        StorageError(.storageAlreadyExists, field: field, value: key, detail: "a \(what) with \(field) '\(key)' already exists")
    }
}

extension ErrorCode {
    public static let storageNotFound: ErrorCode = "storage.not_found"
    public static let storageAlreadyExists: ErrorCode = "storage.already_exists"
    /// The backend failed (disk, corruption); the detail says how.
    public static let storageUnavailable: ErrorCode = "storage.unavailable"
}
