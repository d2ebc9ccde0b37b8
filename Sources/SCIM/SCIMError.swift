public import IdentityCore

/// Why a SCIM request was refused (RFC 7644 §3.12): each code has its HTTP status and, in
/// the catalogue, the `scimType` a client reads. SCIM clients are administrators' tools,
/// so the detail — which part of a filter, which attribute — is sent with the error.
public enum SCIMArea: ErrorArea {
    public static let codeAreas: Set<String> = ["scim"]
    public static let detailIsPublic = true
}
public typealias SCIMError = CodedFailure<SCIMArea>
