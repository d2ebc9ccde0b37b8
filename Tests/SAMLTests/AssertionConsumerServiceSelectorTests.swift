import IdentityCore
import SAML
import Testing

/// SA-2, SA-3 and SA-4, rule by rule.
@Suite struct AssertionConsumerServiceSelectorTests {
    let settings = SAMLSettings(issuer: "sp", acsURLs: ["https://sp/a", "https://sp/b"], defaultACSURL: "https://sp/b")

    @Test(arguments: [RequestSignatureStatus.absent, .valid, .invalid(.signatureBadValue)])
    func aRequestWithoutACSGoesToTheDefaultWhateverItsSignature(signature: RequestSignatureStatus) throws {
        let choice = try AssertionConsumerServiceSelector.forRequest(url: nil, index: nil, settings: settings, signature: signature)
        #expect(choice == ACSChoice(url: "https://sp/b", reason: .default))
    }

    @Test func withoutAConfiguredDefaultTheFirstRegisteredURLIsTheDefault() throws {
        let settings = SAMLSettings(issuer: "sp", acsURLs: ["https://sp/a", "https://sp/b"])
        #expect(try AssertionConsumerServiceSelector.forRequest(url: nil, index: nil, settings: settings, signature: .absent).url == "https://sp/a")
    }

    @Test func aRegisteredURLIsUsedEvenUnsigned() throws {
        let choice = try AssertionConsumerServiceSelector.forRequest(url: "https://sp/a", index: nil, settings: settings, signature: .absent)
        #expect(choice == ACSChoice(url: "https://sp/a", reason: .registered))
    }

    @Test func anUnregisteredURLIsHonouredOnlyWithAVerifiedSignature() throws {
        let choice = try AssertionConsumerServiceSelector.forRequest(url: "https://elsewhere/acs", index: nil, settings: settings, signature: .valid)
        #expect(choice == ACSChoice(url: "https://elsewhere/acs", reason: .signedRequest))
    }

    @Test(arguments: [RequestSignatureStatus.absent, .invalid(.signatureUntrustedKey), .invalid(.samlQuerySignatureInvalid)])
    func anUnregisteredURLWithoutAVerifiedSignatureIsRefused(signature: RequestSignatureStatus) {
        do {
            _ = try AssertionConsumerServiceSelector.forRequest(url: "https://evil/acs", index: nil, settings: settings, signature: signature)
            Issue.record("an unregistered ACS was chosen")
        } catch {
            #expect(error.code == .samlACSNotRegistered)
            #expect(error.field == "AssertionConsumerServiceURL")
            #expect(error.value == "https://evil/acs")
        }
    }

    @Test func urlsMatchExactlyNotByPrefixOrCase() {
        for near in ["https://sp/a/", "https://sp/a?x=1", "HTTPS://sp/a", "https://sp/ab"] {
            #expect(throws: SAMLError(.samlACSNotRegistered, detail: "")) {
                try AssertionConsumerServiceSelector.forRequest(url: near, index: nil, settings: settings, signature: .absent)
            }
        }
    }

    @Test func anIndexNamesTheEndpointWithThatIndexNeverAListPosition() throws {
        // Numbered from 1, as most SPs' metadata does.
        var indexed = settings
        indexed.acsIndexes = [ACSIndex(index: 1, url: "https://sp/a"), ACSIndex(index: 2, url: "https://sp/b")]
        #expect(try AssertionConsumerServiceSelector.forRequest(url: nil, index: 1, settings: indexed, signature: .absent).url == "https://sp/a")
        #expect(try AssertionConsumerServiceSelector.forRequest(url: nil, index: 2, settings: indexed, signature: .absent).url == "https://sp/b")
        #expect(throws: SAMLError(.samlACSIndexUnknown, detail: "")) {
            try AssertionConsumerServiceSelector.forRequest(url: nil, index: 0, settings: indexed, signature: .absent)
        }
    }

    @Test func anSPWithoutIndexesCannotBeAnsweredByIndex() {
        #expect(throws: SAMLError(.samlACSIndexUnknown, detail: "")) {
            try AssertionConsumerServiceSelector.forRequest(url: nil, index: 0, settings: settings, signature: .absent)
        }
    }

    @Test func idpInitiatedUsesTheDefaultOrARegisteredURLAndNothingElse() throws {
        #expect(try AssertionConsumerServiceSelector.forUnsolicited(url: nil, settings: settings) == ACSChoice(url: "https://sp/b", reason: .default))
        #expect(try AssertionConsumerServiceSelector.forUnsolicited(url: "https://sp/a", settings: settings).reason == .registered)
        #expect(throws: SAMLError(.samlACSNotRegistered, detail: "")) {
            try AssertionConsumerServiceSelector.forUnsolicited(url: "https://evil/acs", settings: settings)
        }
    }
}
