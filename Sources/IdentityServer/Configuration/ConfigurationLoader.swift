public import Foundation
public import IdentityCore
public import StrictYAML

/// Everything read from a configuration directory.
public struct LoadedConfiguration: Sendable {
    public var settings: ServerSettings
    /// The directory relative paths in `settings` are resolved against.
    public var directory: URL
    public var serviceProviders: [ServiceProvider]
    public var users: [UserDocument]
    public var identityProviders: [IdentityProvider] = []
}

/// Reads a configuration directory:
///
///     server.yaml                 server-wide settings (optional)
///     identity-providers/*.yaml   one federated identity provider per file
///     service-providers/*.yaml    one service provider per file
///     users/*.yaml                `users:` lists
///
/// Every file is decoded strictly; the first problem stops the load with its file, line
/// and reason, and nothing is stored.
public enum ConfigurationLoader {
    public static func load(directory: URL, validator: (ServerSettings) throws -> ServiceProviderValidator) throws -> LoadedConfiguration {
        let settings = try settings(directory: directory)
        let spValidator = try validator(settings)
        let idpValidator = IdentityProviderValidator(dialect: settings.dialect, userStores: settings.userStores)
        var identityProviders = [IdentityProvider]()
        for file in try yamlFiles(in: directory.appendingPathComponent("identity-providers")) {
            let idp = try StrictYAML.decode(IdentityProvider.self, from: read(file), file: file.path, userInfo: SectionRegistry.server.userInfo) { idp in try idpValidator.validate(idp) }
            if identityProviders.contains(where: { $0.name == idp.name }) {
                throw ConfigurationError(
                    .storageAlreadyExists, file: file.path, line: nil, column: nil, path: "name", reason: "identity provider '\(idp.name)' is defined twice")
            }
            identityProviders.append(idp)
        }
        var serviceProviders = [ServiceProvider]()
        var seen = [String: String]()  // name or issuer → file that has it
        for file in try yamlFiles(in: directory.appendingPathComponent("service-providers")) {
            let decoded = try StrictYAML.decode(ServiceProvider.self, from: read(file), file: file.path, userInfo: SectionRegistry.server.userInfo) { sp in
                try spValidator.validate(sp)
                _ = try spValidator.prepare(sp, issueSecret: false, random: SystemRandomSource())
            }
            let sp = try spValidator.prepare(decoded, issueSecret: false, random: SystemRandomSource()).serviceProvider
            for name in (sp.sequence?.identityProviders ?? []).sorted() where !identityProviders.contains(where: { $0.name == name }) {
                throw ConfigurationError(
                    .spInvalidSettings, file: file.path, line: nil, column: nil, path: "sequence",
                    reason: "no identity provider '\(name)' in identity-providers/")
            }
            // SP-1: names (and SAML issuers) are unique here as in the store, and a second
            // file never silently replaces the first.
            for (field, key) in [("name", "name:" + sp.name), ("saml.issuer", sp.saml.map { "issuer:" + $0.issuer })] {
                guard let key else { continue }
                if let other = seen[key] {
                    throw ConfigurationError(
                        .storageAlreadyExists, file: file.path, line: nil, column: nil, path: field,
                        reason: "\(field) '\(key.drop { $0 != ":" }.dropFirst())' is already used by \(other)")
                }
                seen[key] = file.path
            }
            serviceProviders.append(sp)
        }
        // AU-9: one username per tenant across every store and file.
        var usernames = [String: String]()
        let users = try yamlFiles(in: directory.appendingPathComponent("users")).flatMap { file in
            let users = try StrictYAML.decode(UsersFile.self, from: read(file), file: file.path) { usersFile in
                for (index, user) in usersFile.users.enumerated() {
                    do throws(IdentityError) {
                        try user.validate(dialect: settings.dialect, userStores: settings.userStores, tenants: settings.tenants)
                    } catch {
                        throw IdentityError(error.code, field: "users[\(index)].\(error.field ?? "")", value: error.value, detail: error.detail)
                    }
                }
            }.users
            for (index, user) in users.enumerated() {
                let key = UserIdentifier.uniqueKey(tenant: user.tenant, username: user.username)
                if let other = usernames[key] {
                    throw ConfigurationError(
                        .storageAlreadyExists, file: file.path, line: nil, column: nil, path: "users[\(index)].username",
                        reason: "username '\(user.username)' is already used in tenant \(user.tenant) by \(other) (usernames are unique across user stores)")
                }
                usernames[key] = "\(file.lastPathComponent) users[\(index)]"
            }
            return users
        }
        return LoadedConfiguration(
            settings: settings, directory: directory, serviceProviders: serviceProviders, users: users, identityProviders: identityProviders)
    }

    /// `server.yaml` with `changes` merged in (a scenario's `server:` section).
    public static func settings(directory: URL, changes: ConfigValue) throws -> ServerSettings {
        let serverFile = directory.appendingPathComponent("server.yaml")
        var value = ConfigValue.object([])
        if FileManager.default.fileExists(atPath: serverFile.path) {
            value = ConfigValue(node: try StrictYAML.node(from: read(serverFile), file: serverFile.path))
        }
        return try StrictYAML.decode(ServerSettings.self, from: value.merging(changes).node, file: serverFile.path) { settings in
            try settings.validate()
        }
    }

    /// Only `server.yaml` (defaults when there is none).
    public static func settings(directory: URL) throws -> ServerSettings {
        let serverFile = directory.appendingPathComponent("server.yaml")
        guard FileManager.default.fileExists(atPath: serverFile.path) else { return ServerSettings() }
        return try StrictYAML.decode(ServerSettings.self, from: read(serverFile), file: serverFile.path) { settings in
            try settings.validate()
        }
    }

    static func yamlFiles(in directory: URL) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func read(_ file: URL) throws -> String {
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigurationError(.configSyntax, file: file.path, line: nil, column: nil, path: "", reason: "cannot read: \(error.localizedDescription)")
        }
    }
}
