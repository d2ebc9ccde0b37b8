import Foundation
import Hummingbird
import IdentityCore
import Connectors
import Provisioning
import IdentityStorage
import StrictYAML

/// `/admin/v1/identity-providers`: federated IdPs (FE-1), decoded and validated as their
/// YAML files are. Client secrets are never shown back.
extension AdminRoutes {
    func addIdentityProviderRoutes(to group: RouterGroup<Context>) {
        group.get("identity-providers") { _, _ in try await json(runtime.storage.identityProviders.list().map(\.redacted)) }
        group.get("identity-providers/:name") { _, context in
            try await json(runtime.storage.identityProviders.get(name: context.parameters.decoded("name")).redacted)
        }
        group.post("identity-providers") { request, _ in
            var request = request
            let idp = try await decodeIdentityProvider(&request)
            try await runtime.storage.identityProviders.create(idp)
            return try json(idp.redacted, status: .created)
        }
        group.put("identity-providers/:name") { request, context in
            var request = request
            let name = try context.parameters.decoded("name")
            let before = try await runtime.storage.identityProviders.get(name: name).scim?.url
            let idp = try await decodeIdentityProvider(&request, keepingSecretOf: name)
            guard idp.name == name else {
                throw IdentityError(.idpInvalidSettings, field: "name", value: idp.name, detail: "the body names another identity provider than the URL")
            }
            let stored = try await runtime.storage.identityProviders.update(name: name) { _ in idp }
            if let before, stored.scim?.url != before { try await runtime.provisioner.retargeted(name) }
            return try json(stored.redacted)
        }
        // An IdP a sequence still names cannot go. Its associations go with it in every
        // mode (FE-4); in enhanced JIT mode the accounts it provisioned go too (JIT-7), with
        // their consents, otherwise they stay as plain local accounts.
        group.delete("identity-providers/:name") { _, context in
            let name = try context.parameters.decoded("name")
            _ = try await runtime.storage.identityProviders.get(name: name)
            if let user = try await runtime.storage.serviceProviders.list().first(where: { $0.sequence?.identityProviders.contains(name) == true }) {
                throw IdentityError(.idpInUse, field: "name", value: name, detail: "service provider '\(user.name)' logs people in through it")
            }
            if let user = try await runtime.storage.serviceProviders.list().first(where: {
                $0.provisioning?.outbound.contains { $0.identityProvider == name } == true
            }) {
                throw IdentityError(.idpInUse, field: "name", value: name, detail: "service provider '\(user.name)' provisions people to it")
            }
            if runtime.settings.provisioning.outbound.contains(where: { $0.identityProvider == name }) {
                throw IdentityError(.idpInUse, field: "name", value: name, detail: "server.yaml provisioning.outbound (the resident targets) names it")
            }
            try await runtime.storage.identityProviders.delete(name: name)
            try await runtime.storage.associations.deleteAll(identityProvider: name)
            if runtime.settings.enhancedJIT {
                let deleted = try await runtime.storage.users.deleteAll(provisionedBy: name)
                for id in deleted {
                    try await runtime.storage.consents.deleteAll(userID: id)
                }
                try await runtime.provisioner.changed(deleted, source: "admin")
            } else {
                _ = try await runtime.storage.users.unlinkAll(provisionedBy: name)
            }
            return Response(status: .noContent)
        }
    }

    /// A strictly decoded, validated IdP. On replace, a body without a client secret (or
    /// with the redacted placeholder) keeps the stored one.
    func decodeIdentityProvider(_ request: inout Request, keepingSecretOf existing: String? = nil) async throws -> IdentityProvider {
        let body = try await Self.document(&request)
        var stored: IdentityProvider?
        if let existing { stored = try await runtime.storage.identityProviders.get(name: existing) }
        let kept = stored?.oauth?.clientSecret
        let validator = runtime.identityProviderValidator
        return try StrictYAML.decode(IdentityProvider.self, from: String(buffer: body), file: "request body", userInfo: SectionRegistry.server.userInfo) { idp in
            var idp = idp
            if idp.oauth != nil, [nil, OAuthConnectorSettings.redactedSecret].contains(idp.oauth?.clientSecret) { idp.oauth?.clientSecret = kept }
            idp.scim = idp.scim?.keepingSecrets(of: stored?.scim)
            try validator.validate(idp)
        }.withSecret(kept, scim: stored?.scim)
    }
}

extension IdentityProvider {
    /// The stored secret in place of an absent or redacted one.
    func withSecret(_ secret: String?, scim: SCIMTargetSettings? = nil) -> IdentityProvider {
        var copy = self
        if copy.oauth != nil, [nil, OAuthConnectorSettings.redactedSecret].contains(copy.oauth?.clientSecret) { copy.oauth?.clientSecret = secret }
        copy.scim = copy.scim?.keepingSecrets(of: scim)
        return copy
    }
}
