/// The error catalogue: `mock.*` — the mock parties.
extension ErrorCode {
    public static let mockProfileInvalid = ErrorCode(
        "mock.profile_invalid", status: 400,
        message: "The mock profile is invalid.",
        summary: "A mock party's profile is invalid.")
    public static let mockBadOption = ErrorCode(
        "mock.bad_option", status: 400,
        message: "The mock does not know this option or value.",
        summary: "An unknown switch or value at a mock.")
}

extension ErrorCatalogue {
    static let mock: [ErrorCode] = [
        .mockProfileInvalid, .mockBadOption,
    ]
}
