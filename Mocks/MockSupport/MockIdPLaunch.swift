public import Foundation
public import HTTPServing

/// How `mock-idp` is started: from its flags, else its `MOCK_IDP_*` environment variables
/// (a container is configured by its environment), else the defaults. Kept apart from the
/// executable so the precedence is tested.
///
/// | flag | environment | default |
/// |---|---|---|
/// | `--config` / `--profile` FILE (YAML or JSON) | `MOCK_IDP_CONFIG` | the built-in developer provider |
/// | — | `MOCK_IDP_CONFIG_JSON` (the profile itself) | |
/// | `--host` | `MOCK_IDP_HOST` | 127.0.0.1 |
/// | `--port` | `MOCK_IDP_PORT` | 9000 |
/// | `--server` | `MOCK_IDP_SERVER` | http://127.0.0.1:9443 |
/// | `--public-url` | `MOCK_IDP_PUBLIC_URL` | http://HOST:PORT |
/// | `--tls-cert`, `--tls-key` | `MOCK_IDP_TLS_CERT`, `MOCK_IDP_TLS_KEY` | plain http |
/// | `--tls` (the development CA) | `MOCK_IDP_TLS=dev` | |
/// | `--fresh-keys` | `MOCK_IDP_FRESH_KEYS=1` | the built-in provider's kept keys (``KeptDeveloperKeys``) |
/// | — | `MOCK_IDP_KEY_DIR` | `$XDG_CACHE_HOME/identity-harness/mock-idp`, else `~/.cache/…` |
public struct MockIdPLaunch: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case file(String)
        /// A profile given in full (`MOCK_IDP_CONFIG_JSON`); relative key paths are read
        /// from the working directory.
        case inline(String)
        /// No profile: ``IdPProfile/developerDefault``.
        case developerDefault
    }

    public var source: Source
    public var host: String
    public var port: Int
    public var server: String
    public var publicURL: String?
    /// HTTPS, if asked for: the flags' (`TLSOptions`), else the environment's.
    public var tls: TLSSettings?
    /// Where the built-in provider's kept keys are; nil: fresh keys at this start.
    public var keptKeys: URL?

    /// `flags` are the values given on the command line (nil: not given).
    public init(
        config: String?, host: String?, port: Int?, server: String?, publicURL: String?, tls: TLSSettings? = nil, freshKeys: Bool = false,
        environment: [String: String]
    ) throws(MockError) {
        func value(_ flag: String?, _ name: String) -> String? {
            flag ?? environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        if let file = value(config, "MOCK_IDP_CONFIG") {
            source = .file(file)
        } else if let inline = value(nil, "MOCK_IDP_CONFIG_JSON") {
            source = .inline(inline)
        } else {
            source = .developerDefault
        }
        self.host = value(host, "MOCK_IDP_HOST") ?? "127.0.0.1"
        if let port {
            self.port = port
        } else if let text = value(nil, "MOCK_IDP_PORT") {
            guard let number = Int(text) else { throw MockError(.mockBadOption, field: "MOCK_IDP_PORT", value: text, detail: "a port number") }
            self.port = number
        } else {
            self.port = 9000
        }
        guard (0...65_535).contains(self.port) else {
            throw MockError(.mockBadOption, field: "port", value: String(self.port), detail: "a port number, 0 to 65535")
        }
        self.server = value(server, "MOCK_IDP_SERVER") ?? "http://127.0.0.1:9443"
        self.publicURL = value(publicURL, "MOCK_IDP_PUBLIC_URL")
        if let tls {
            self.tls = tls
        } else if let mode = value(nil, "MOCK_IDP_TLS") {
            guard mode == "dev" else { throw MockError(.mockBadOption, field: "MOCK_IDP_TLS", value: mode, detail: "dev (the development CA), or MOCK_IDP_TLS_CERT and MOCK_IDP_TLS_KEY") }
            guard value(nil, "MOCK_IDP_TLS_CERT") == nil, value(nil, "MOCK_IDP_TLS_KEY") == nil else {
                throw MockError(.mockBadOption, field: "MOCK_IDP_TLS", value: mode, detail: "either the development CA or MOCK_IDP_TLS_CERT and MOCK_IDP_TLS_KEY, not both")
            }
            self.tls = TLSSettings(developmentCA: true)
        } else if value(nil, "MOCK_IDP_TLS_CERT") != nil || value(nil, "MOCK_IDP_TLS_KEY") != nil {
            // Relative to the working directory, as the flags' paths are.
            func absolute(_ name: String) -> String? { value(nil, name).map { URL(fileURLWithPath: $0).path } }
            let files = TLSSettings(certificate: absolute("MOCK_IDP_TLS_CERT"), privateKey: absolute("MOCK_IDP_TLS_KEY"))
            if let inconsistency = files.inconsistency {
                throw MockError(.mockBadOption, field: "MOCK_IDP_TLS_CERT", detail: inconsistency)
            }
            self.tls = files
        }
        // Only the built-in provider keeps keys; the flag wins over its variable.
        if source != .developerDefault || freshKeys {
            keptKeys = nil
        } else {
            switch value(nil, "MOCK_IDP_FRESH_KEYS")?.lowercased() {
            case nil, "0", "false", "no":
                keptKeys = KeptDeveloperKeys.defaultDirectory(environment: environment)
            case "1", "true", "yes":
                keptKeys = nil
            case let other?:
                throw MockError(.mockBadOption, field: "MOCK_IDP_FRESH_KEYS", value: other, detail: "1 (fresh keys at each start) or 0")
            }
        }
        if let url = self.publicURL {
            guard let parts = URLComponents(string: url), ["http", "https"].contains(parts.scheme ?? ""), parts.host?.isEmpty == false else {
                throw MockError(.mockBadOption, field: "public-url", value: url, detail: "an absolute http(s) URL")
            }
        }
    }

    /// The base URL the mock names itself by: the public URL, or where it listens.
    public var ownURL: String {
        publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? HTTPLimits.url(host: host, port: port, https: tls != nil)
    }

    /// The built-in developer provider's keys at this launch: the kept ones, made once on
    /// this machine; nil for fresh ones at this start — when asked for, or when the kept
    /// keys cannot be read or written (`warn` is told why).
    public func developerKeys(now: Date = Date(), warn: (String) -> Void) -> KeptDeveloperKeys.Keys? {
        guard let keptKeys else { return nil }
        do {
            return try KeptDeveloperKeys(directory: keptKeys).prepare(now: now)
        } catch {
            warn("\(error.description); using fresh keys at this start")
            return nil
        }
    }
}
