import IdentityCore

/// Stand-ins for the SAML and OIDC sections with the same keys and lookup fields, so the
/// storage tests can read records the protocol modules wrote without depending on them.
struct IssuerSection: ServiceProviderSection {
    static let key = "saml"
    var issuer: String
    var lookupKeys: [ServiceProviderLookup] { [.init(field: "saml.issuer", value: issuer)] }
}

struct ClientIDSection: ServiceProviderSection {
    static let key = "oidc"
    var clientID: String
    var lookupKeys: [ServiceProviderLookup] { [.init(field: "oidc.clientID", value: clientID)] }
}

let testSections = SectionRegistry(serviceProviderSections: [IssuerSection.self, ClientIDSection.self])
