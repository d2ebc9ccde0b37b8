/// The error catalogue: `config.*` — YAML and JSON documents (StrictYAML).
extension ErrorCode {
    public static let configSyntax = ErrorCode(
        "config.syntax", status: 400,
        message: "The document is not valid YAML or JSON.",
        summary: "A YAML or JSON syntax error (file, line and column say where).")
    public static let configUnknownKey = ErrorCode(
        "config.unknown_key", status: 400,
        message: "The document has a key this server does not know.",
        summary: "A key no setting has (a misspelling is named with its likely meaning).")
    public static let configMissingKey = ErrorCode(
        "config.missing_key", status: 400,
        message: "The document lacks a required key.",
        summary: "A required key is absent.")
    public static let configDuplicateKey = ErrorCode(
        "config.duplicate_key", status: 400,
        message: "The document names a key twice.",
        summary: "A mapping repeats a key.")
    public static let configInvalidValue = ErrorCode(
        "config.invalid_value", status: 400,
        message: "The document has a value of the wrong type.",
        summary: "A value of the wrong type or form.")
    public static let configUnsupported = ErrorCode(
        "config.unsupported", status: 400,
        message: "The document uses a YAML feature this server does not read.",
        summary: "Anchors, aliases, tags or merge keys: refused rather than guessed.")
}

extension ErrorCatalogue {
    static let config: [ErrorCode] = [
        .configSyntax, .configUnknownKey, .configMissingKey, .configDuplicateKey,
        .configInvalidValue, .configUnsupported,
    ]
}
