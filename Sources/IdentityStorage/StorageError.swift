public import IdentityCore

/// Errors every store reports the same way, whatever the backend.
public enum StorageArea: ErrorArea {
    public static let codeAreas: Set<String> = ["storage"]
}
public typealias StorageError = CodedFailure<StorageArea>

extension StorageError {
    public static func notFound(_ what: String, _ key: String) -> StorageError {
        StorageError(.storageNotFound, value: key, detail: "no \(what) '\(key)'")
    }

    public static func alreadyExists(_ what: String, field: String, _ key: String) -> StorageError {
        StorageError(.storageAlreadyExists, field: field, value: key, detail: "a \(what) with \(field) '\(key)' already exists")
    }
}
