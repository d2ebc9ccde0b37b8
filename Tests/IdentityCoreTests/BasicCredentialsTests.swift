import Foundation
import IdentityCore
import Testing

/// RFC 7617 Basic credentials, and the OAuth client form of them (RFC 6749 §2.3.1).
@Suite struct BasicCredentialsTests {
    @Test func thePasswordKeepsItsColonsAndTheSchemeIsCaseInsensitive() {
        let header = "bAsIc " + Data("alice:pa:ss".utf8).base64EncodedString()
        #expect(BasicCredentials(authorization: header) == BasicCredentials(username: "alice", password: "pa:ss"))
    }

    @Test func anotherSchemeOrAMalformedValueIsNone() {
        #expect(BasicCredentials(authorization: "Bearer abc") == nil)
        #expect(BasicCredentials(authorization: "Basic !!!") == nil)
        #expect(BasicCredentials(authorization: "Basic " + Data("no-colon".utf8).base64EncodedString()) == nil)
        #expect(BasicCredentials.isBasic("Basic !!!"))
    }

    @Test func anOAuthClientsPartsAreFormEncodedBeforeJoining() throws {
        let credentials = BasicCredentials(username: "client:1", password: "s3cret+/ x")
        let header = credentials.header(formEncoded: true)
        // The colon of the ID is escaped, so the split is unambiguous.
        #expect(try #require(BasicCredentials(authorization: header)).username == "client%3A1")
        #expect(BasicCredentials(authorization: header)?.formDecoded == credentials)
        #expect(BasicCredentials(authorization: credentials.header()) != credentials)
    }
}
