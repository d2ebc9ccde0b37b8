import Foundation
import IdentityCore
import SAML
import Testing
import XMLSecurity

/// SAML core §3.3.2.2.1 and §3.4.1.1: what the IdP can promise a request.
@Suite struct NameIDPolicyTests {
    let ppt = AuthnContextClass.passwordProtectedTransport

    @Test(arguments: [
        (RequestedAuthnContext.Comparison.exact, [AuthnContextClass.passwordProtectedTransport], true),
        (.exact, [AuthnContextClass.password], false),
        (.minimum, [AuthnContextClass.password], true),
        (.minimum, [AuthnContextClass.x509], false),
        (.better, [AuthnContextClass.passwordProtectedTransport], false),
        (.better, [AuthnContextClass.unspecified], true),
        (.maximum, [AuthnContextClass.smartcardPKI], true),
        (.maximum, [AuthnContextClass.password], false),
        (.exact, ["urn:example:unknown", AuthnContextClass.passwordProtectedTransport], true),
        (.minimum, ["urn:example:unknown"], false),
    ])
    func aRequestedContextIsMetOnlyAsItsComparisonSays(_ comparison: RequestedAuthnContext.Comparison, _ classes: [String], _ met: Bool) {
        #expect(RequestedAuthnContext(comparison: comparison, classRefs: classes).isSatisfied(by: ppt) == met)
    }

    @Test func aContextThatCannotBeMetIsRefusedAsNoAuthnContext() {
        let refusal = NameIDPolicyDecision.refusal(
            of: AuthnRequest(
                id: "_r", issueInstant: Date(), issuer: "sp",
                requestedAuthnContext: RequestedAuthnContext(comparison: .exact, classRefs: [AuthnContextClass.x509])),
            settings: settings)
        #expect(refusal?.code == SAMLStatusCode.responder)
        #expect(refusal?.subcode == SAMLStatusCode.noAuthnContext)
        #expect(refusal?.message == ErrorCode.samlAuthnContextUnsatisfiable.message)
    }

    @Test func aDeclarationIsNeverMet() {
        #expect(!RequestedAuthnContext(classRefs: [ppt], declRefs: ["urn:example:decl"]).isSatisfied(by: ppt))
    }

    @Test func theRequestsPolicyAndContextSurviveAWriteAndARead() throws {
        let request = AuthnRequest(
            id: "_r", issueInstant: Date(timeIntervalSince1970: 0), issuer: "sp", nameIDPolicyFormat: NameIDFormat.persistent.rawValue,
            nameIDPolicyAllowCreate: false, requestedAuthnContext: RequestedAuthnContext(comparison: .minimum, classRefs: [AuthnContextClass.password]))
        let read = try AuthnRequest(element: try SafeXMLParser.parse(request.tree.serialized()).root)
        #expect(read == request)
    }

    let settings = SAMLSettings(issuer: "sp", acsURLs: ["https://sp/acs"])

    @Test func aFormatOtherThanTheSPsOrUnspecifiedIsRefusedAtOnce() {
        let asked = { (format: String?) in
            NameIDPolicyDecision.refusal(of: AuthnRequest(id: "_r", issueInstant: Date(), issuer: "sp", nameIDPolicyFormat: format), settings: settings)
        }
        #expect(asked(NameIDFormat.persistent.rawValue)?.subcode == SAMLStatusCode.invalidNameIDPolicy)
        #expect(asked(NameIDFormat.persistent.rawValue)?.message == ErrorCode.samlNameIDPolicyUnsupported.message)
        #expect(asked(NameIDFormat.persistent.rawValue)?.code == SAMLStatusCode.requester)
        #expect(asked(NameIDFormat.unspecified.rawValue) == nil)
        #expect(asked(NameIDFormat.emailAddress.rawValue) == nil)
        #expect(asked(nil) == nil)
    }

    @Test func aSubjectThatIsNotAnEmailAddressIsNotLabelledAsOne() throws {
        let unlabelled = try NameIDPolicyDecision.nameID(subject: "alice", settings: settings, requestedFormat: nil, allowCreate: nil, hasAccount: true).get()
        #expect(unlabelled.format == NameIDFormat.unspecified.rawValue)
        let email = try NameIDPolicyDecision.nameID(
            subject: "alice@example.com", settings: settings, requestedFormat: nil, allowCreate: nil, hasAccount: true).get()
        #expect(email.format == NameIDFormat.emailAddress.rawValue)
        guard case .failure(let refusal) = NameIDPolicyDecision.nameID(
            subject: "alice", settings: settings, requestedFormat: NameIDFormat.emailAddress.rawValue, allowCreate: nil, hasAccount: true)
        else {
            Issue.record("an e-mail NameID was promised for alice")
            return
        }
        #expect(refusal.status.subcode == SAMLStatusCode.invalidNameIDPolicy)
    }

    @Test func noPersistentIdentifierIsCreatedForAPersonWithoutAnAccountWhenForbidden() {
        var persistent = settings
        persistent.nameIDFormat = .persistent
        let decide = { (allowCreate: Bool?, hasAccount: Bool) in
            NameIDPolicyDecision.nameID(subject: "google/1", settings: persistent, requestedFormat: nil, allowCreate: allowCreate, hasAccount: hasAccount)
        }
        if case .success = decide(false, false) { Issue.record("an identifier was created against AllowCreate=false") }
        #expect((try? decide(false, true).get()) != nil)
        #expect((try? decide(true, false).get()) != nil)
        #expect((try? decide(nil, false).get()) != nil)
    }
}
