/// The error catalogue: `mock.*` — the mock parties.
extension ErrorCode {
    public static let mockProfileInvalid = ErrorCode(
        "mock.profile_invalid", status: 400,
        message: "The mock profile is invalid.",
        summary: "A mock party's profile is invalid.")
    public static let mockKeysUnavailable = ErrorCode(
        "mock.keys_unavailable", status: 500,
        message: "The mock could not keep its keys.",
        summary: "The developer mock's kept keys could not be read or written, or their directory is not the user's or others can write to it (it uses fresh keys instead).")
    public static let mockBadOption = ErrorCode(
        "mock.bad_option", status: 400,
        message: "The mock does not know this option or value.",
        summary: "An unknown switch or value at a mock.")
    public static let mockInternalError = ErrorCode(
        "mock.internal_error", status: 500,
        message: "The mock could not complete the request.",
        summary: "An unexpected failure at a mock (a peer it could not reach, an answer it could not read); the body says what, since a mock is a developer's tool.")
}

extension ErrorCatalogue {
    static let mock: [ErrorCode] = [
        .mockProfileInvalid, .mockBadOption, .mockKeysUnavailable, .mockInternalError,
    ]
}
