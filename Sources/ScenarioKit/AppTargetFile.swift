public import Foundation
import MockSupport
import StrictYAML

/// An application under test (`harness run --app FILE`): a SAML service provider or an
/// OpenID Connect relying party someone else wrote, which the harness logs in to while
/// playing a hostile identity provider.
///
/// ```yaml
/// name: mod-auth-mellon
/// kind: saml                       # saml | oidc
/// app:
///   login: http://127.0.0.1:18081/protected/          # GET starts a login
///   signedIn:                                          # the oracle (see AppRunner)
///     url: http://127.0.0.1:18081/protected/whoami.shtml
///     status: 200
///     user: 'REMOTE_USER=(\S*)'                        # group 1: whom the app signed in
///   allowsUnsolicited: true                            # by design: saml/unsolicited not applicable
/// saml: {entityID: http://127.0.0.1:18081/protected/mellon/metadata, acsURLs: [...]}
/// idp: {listen: 127.0.0.1:18089}                       # fixed: the app is configured once
/// expectedFailures: mod-auth-mellon/expected-failures.yaml
/// scorecard: ../../Vectors/apps/mod-auth-mellon.scorecard.json
/// ```
///
/// The hostile IdP listens at a fixed address with fixed keys (`idp.profile`, by default
/// `Mocks/idps/hostile-<kind>.yaml`), so its entity ID, metadata, issuer and JWKS never
/// change between runs: the application is configured against it once, as against any IdP.
public struct AppTargetFile: Decodable, Sendable, TrustingFile {
    public enum Kind: String, Decodable, Sendable { case saml, oidc }

    public var name: String
    public var kind: Kind
    public var app: Application
    public var saml: SAMLApplication?
    public var oidc: OIDCApplication?
    public var idp: HostileIdP
    public var expectedFailures: String?
    /// The committed scorecard: each case's verdict, compared on every run.
    public var scorecard: String?
    /// A PEM file of the CAs the application's https endpoints chain to, when not the
    /// system's; `insecureSkipVerify` checks none (throw-away local use; the run says so).
    public var caBundle: String?
    public var insecureSkipVerify: Bool?
    /// The directory the file was read from (relative paths start there).
    public var directory = URL(fileURLWithPath: ".")

    public struct Application: Decodable, Sendable {
        public var login: String
        public var signedIn: SignedInCheck
        /// The application accepts IdP-initiated (unsolicited) Responses by design.
        public var allowsUnsolicited: Bool?
        /// One of our own mocks as the application (the control run): a mock SP or RP
        /// profile, started in this process on the host and port of `login`.
        public var inProcess: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case login, signedIn, allowsUnsolicited, inProcess }
    }

    /// How the harness tells "signed in" from "refused": after the flow, one GET of `url`
    /// with the flow's cookies and no redirect followed.
    public struct SignedInCheck: Decodable, Sendable {
        public var url: String
        public var status: Int?
        /// A regular expression over the body; its first group names whom the application
        /// signed in (an empty name counts as signed in as nobody in particular).
        public var user: String
        enum CodingKeys: String, CodingKey, CaseIterable { case url, status, user }
    }

    public struct SAMLApplication: Decodable, Sendable {
        public var entityID: String
        public var acsURLs: [String]
        enum CodingKeys: String, CodingKey, CaseIterable { case entityID, acsURLs }
    }

    public struct OIDCApplication: Decodable, Sendable {
        public var clientID: String
        public var clientSecret: String
        public var redirectURIs: [String]
        enum CodingKeys: String, CodingKey, CaseIterable { case clientID, clientSecret, redirectURIs }
    }

    public struct HostileIdP: Decodable, Sendable {
        /// `host:port`, fixed.
        public var listen: String
        /// The mock IdP profile (keys, kind); default `Mocks/idps/hostile-<kind>.yaml`.
        public var profile: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case listen, profile }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, kind, app, saml, oidc, idp, expectedFailures, scorecard, caBundle, insecureSkipVerify }

    /// A path the file names, from the file's directory.
    public func path(_ relative: String) -> URL {
        URL(fileURLWithPath: relative, relativeTo: directory).standardizedFileURL
    }

    public var host: String { String(idp.listen.split(separator: ":").first ?? "127.0.0.1") }
    public var port: Int { idp.listen.split(separator: ":").last.flatMap { Int($0) } ?? 0 }
    /// The hostile IdP's base URL.
    public var idpURL: String { "http://\(idp.listen)" }

    public static func load(_ url: URL, displayName: String) throws -> AppTargetFile {
        var file = try StrictYAML.decode(AppTargetFile.self, from: String(contentsOf: url, encoding: .utf8), file: displayName)
        file.directory = url.deletingLastPathComponent()
        func invalid(_ text: String) -> ScenarioError { .invalid("\(displayName): \(text)") }
        var urls = [("app.login", file.app.login), ("app.signedIn.url", file.app.signedIn.url)]
        switch file.kind {
        case .saml:
            guard let saml = file.saml, file.oidc == nil else { throw invalid("kind saml needs a saml section (entityID, acsURLs) and no oidc section") }
            guard !saml.acsURLs.isEmpty else { throw invalid("saml.acsURLs is empty") }
            urls += saml.acsURLs.map { ("saml.acsURLs", $0) }
        case .oidc:
            guard let oidc = file.oidc, file.saml == nil else { throw invalid("kind oidc needs an oidc section (clientID, clientSecret, redirectURIs) and no saml section") }
            guard !oidc.redirectURIs.isEmpty else { throw invalid("oidc.redirectURIs is empty") }
            urls += oidc.redirectURIs.map { ("oidc.redirectURIs", $0) }
        }
        for (field, text) in urls {
            guard let components = URLComponents(string: text), ["http", "https"].contains(components.scheme), components.host != nil else {
                throw invalid("\(field) is not an http(s) URL: \(text)")
            }
        }
        let parts = file.idp.listen.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port) else {
            throw invalid("idp.listen is host:port with a fixed port, not '\(file.idp.listen)' (the application is configured against that address once)")
        }
        guard let expression = try? NSRegularExpression(pattern: file.app.signedIn.user) else {
            throw invalid("app.signedIn.user is not a regular expression: \(file.app.signedIn.user)")
        }
        guard expression.numberOfCaptureGroups >= 1 else {
            throw invalid("app.signedIn.user needs a group that captures whom the page names, as in 'REMOTE_USER=(\\S*)'")
        }
        for (field, relative) in [("idp.profile", file.idp.profile), ("app.inProcess", file.app.inProcess), ("expectedFailures", file.expectedFailures)] {
            if let relative, !FileManager.default.fileExists(atPath: file.path(relative).path) {
                throw invalid("\(field) names a file that does not exist: \(relative)")
            }
        }
        return file
    }

    /// The hostile IdP's profile: the base profile with this application as its one SP
    /// or client, and no faults, attack or autoLogin whatever the base profile says (each
    /// case arms what it needs; its test users stay, for a login by hand with `harness idp`).
    func hostileProfile(root: URL) throws -> (profile: PartyProfile, file: URL) {
        let file = idp.profile.map(path) ?? root.appendingPathComponent("Mocks/idps/hostile-\(kind.rawValue).yaml")
        let neutral: [(String, ConfigValue)] = [("faults", .array([])), ("attack", .null), ("autoLogin", .null)]
        let overrides: ConfigValue = switch kind {
        case .saml:
            .object(neutral + [("serviceProviders", .array([.object([
                ("entityID", .string(saml!.entityID)), ("acsURLs", .array(saml!.acsURLs.map(ConfigValue.string))),
            ])]))])
        case .oidc:
            .object(neutral + [("clients", .array([.object([
                ("clientID", .string(oidc!.clientID)), ("clientSecret", .string(oidc!.clientSecret)),
                ("redirectURIs", .array(oidc!.redirectURIs.map(ConfigValue.string))),
            ])]))])
        }
        return (try PartyProfile.load(file, overrides: overrides), file)
    }

    /// Where the application's answers to the hostile messages land (ACS or callback).
    var endpoints: [String] { saml?.acsURLs ?? oidc?.redirectURIs ?? [] }

    /// Whether a browser hop went to one of them: the same URL without its query (a
    /// prefix would let `/callback` match `/callback-x`, or a root URI every hop).
    func isEndpoint(_ url: String) -> Bool {
        let bare = String(url.split(separator: "?", maxSplits: 1).first ?? "")
        return endpoints.contains { $0 == bare }
    }
}
