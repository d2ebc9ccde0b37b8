import Foundation
import Testing
@testable import ScenarioKit

@Suite struct NormaliserTests {
    static let start = Date(timeIntervalSince1970: 1_767_258_000)  // 2026-01-01T09:00:00Z

    /// A vector says "valid for five minutes from the start", not a date: a server on its
    /// own clock can then match it.
    @Test func timesBecomeSecondsFromTheScenarioStart() {
        var n = Normaliser(bases: [:], start: Self.start)
        #expect(n.normalise("2026-01-01T09:00:00Z") == "{t+0}")
        #expect(n.normalise("NotOnOrAfter 2026-01-01T09:05:00Z, NotBefore 2026-01-01T08:59:00.250Z") == "NotOnOrAfter {t+300}, NotBefore {t-60}")
        #expect(n.normalise(JSONValue.object(["exp": .int(1_767_261_600), "expires_in": .int(3600)]))
            == .object(["exp": .string("{t+3600}"), "expires_in": .int(3600)]))
        #expect(n.normalise("2025-13-01T09:00:00Z") == "2025-13-01T09:00:00Z")
    }

    /// Another server's identifiers have other shapes; where a field is an identifier, its
    /// whole value is numbered, in the same table as ours.
    @Test func identifierFieldsAreNumberedWhateverTheirShape() {
        var n = Normaliser(bases: [:], start: Self.start)
        let ours = "_" + String(repeating: "a", count: 32), theirs = "_" + String(repeating: "3", count: 42)
        let observed = JSONValue.object([
            "inResponseTo": .string(ours), "sessionIndex": .string(theirs), "note": .string("\(ours) then \(theirs)"),
        ])
        #expect(n.normalise(observed) == .object([
            "inResponseTo": .string("{id:1}"), "note": .string("{id:1} then {id:2}"), "sessionIndex": .string("{id:2}"),
        ]))
    }

    @Test func thePortableLayerComparesTimesWithinATolerance() {
        let expected = JSONValue.object(["issueInstant": .string("{t+0}"), "validity": .string("{t+0} to {t+300}"), "nameID": .string("alice")])
        let late = JSONValue.object(["issueInstant": .string("{t+2}"), "validity": .string("{t+2} to {t+302}"), "nameID": .string("alice")])
        #expect(VectorDiff.compare(expected: expected, actual: late, timeTolerance: 10).isEmpty)
        #expect(VectorDiff.compare(expected: expected, actual: late).map(\.path) == ["issueInstant", "validity"])
        let wrong = JSONValue.object(["issueInstant": .string("{t+0}"), "validity": .string("{t+0} to {t+3600}"), "nameID": .string("bob")])
        #expect(VectorDiff.compare(expected: expected, actual: wrong, timeTolerance: 10).map(\.path) == ["nameID", "validity"])
        // Other placeholders beside a time are text, compared exactly.
        #expect(VectorDiff.compare(expected: .string("{travel} at {t+5}"), actual: .string("{travel} at {t+7}"), timeTolerance: 10).isEmpty)
        #expect(!VectorDiff.compare(expected: .string("{travel} at {t+5}"), actual: .string("{trip} at {t+5}"), timeTolerance: 10).isEmpty)
    }

    @Test func baseURLsBecomePartyNamesWithoutEatingLongerPorts() {
        var n = Normaliser(bases: ["server": "http://127.0.0.1:4000", "sp": "http://127.0.0.1:40001"], start: Self.start)
        #expect(n.normalise("GET http://127.0.0.1:4000/samlsso and http://127.0.0.1:40001/acs") == "GET {server}/samlsso and {sp}/acs")
        #expect(n.normalise("acs=http%3A%2F%2F127.0.0.1%3A40001%2Facs") == "acs={sp}%2Facs")
    }

    @Test func identifiersAreNumberedByFirstAppearance() {
        var n = Normaliser(bases: [:], start: Self.start)
        let a = "_" + String(repeating: "a", count: 32), b = "_" + String(repeating: "b", count: 32)
        #expect(n.normalise("\(b) \(a) \(b)") == "{id:1} {id:2} {id:1}")
        #expect(n.normalise("sessionDataKey=xyz-_1&x") == "sessionDataKey={flow:1}&x")
        #expect(n.normalise("/samlsso?SAMLRequest=abc%2B&RelayState=r") == "/samlsso?SAMLRequest={SAMLRequest}&RelayState=r")
        #expect(n.normalise("/cb?code=x1&state=s&iss=i#access_token=t") == "/cb?code={code}&state={state}&iss=i#access_token={access_token}")
        #expect(n.normalise("/authorize?user_code=ABCD") == "/authorize?user_code=ABCD")
    }
}

@Suite struct HTMLPageTests {
    @Test func formsFieldsKindAndObservedTextsAreRead() {
        let page = HTMLPage(html: """
            <!DOCTYPE html><html><head><meta name="ih-page" content="login"><title> Sign in </title></head>
            <body><p data-observe="error">Login failed</p>
            <form method="POST" action="/commonauth"><input type="hidden" name="csrf" value="t"><input name="username"></form></body></html>
            """)
        #expect(page.kind == "login")
        #expect(page.title == "Sign in")
        #expect(page.observed == ["error": "Login failed"])
        #expect(page.forms == [
            HTMLPage.Form(action: "/commonauth", method: "post", fields: [
                .init(name: "csrf", type: "hidden", value: "t"), .init(name: "username", type: "text", value: ""),
            ])
        ])
        #expect(!page.forms[0].isSAMLAutoPost)
    }

    @Test func aTextareaIsAFieldSentWithItsText() {
        let page = HTMLPage(html: "<form method=\"post\" action=\"/login\"><input name=\"username\"><textarea name=\"claims\">\n{\"a\": 1}</textarea></form>")
        #expect(page.forms.first?.fields.last == HTMLPage.Field(name: "claims", type: "textarea", value: #"{"a": 1}"#))
        #expect(page.forms.first?.sent.map(\.name) == ["username", "claims"])
    }

    @Test func aSAMLPostFormIsRecognisedAsAutoPostingEvenWithAnUnnamedContinueButton() {
        let page = HTMLPage(html: #"<form method="post" action="https://sp/acs"><input type="hidden" name="SAMLResponse" value="x"><input type="hidden" name="RelayState" value="y"><noscript><input type="submit" value="Continue"></noscript></form>"#)
        #expect(page.forms.first?.isSAMLAutoPost == true)
        #expect(page.forms.first?.sent.map(\.name) == ["SAMLResponse", "RelayState"])
    }

    @Test func aFormWithoutAnActionIsSubmittedToItsOwnPage() {
        // Django's login template writes <form method="post"> (HTML: the document's URL).
        let page = HTMLPage(html: #"<form method="post"><input name="username"><input type="submit" value="Cancel"><input type="submit" name="allow" value="Authorize"></form>"#)
        let form = page.forms[0]
        #expect(form.target(from: "http://op.example/accounts/login/?next=/o/authorize/") == "http://op.example/accounts/login/?next=/o/authorize/")
        #expect(HTMLPage.Form(action: "../cb", method: "post", fields: []).target(from: "http://op.example/a/b") == "http://op.example/cb")
        // The unnamed Cancel button is kept (it is the first, so pressing nothing named
        // presses it) but never sent.
        #expect(form.fields.filter { $0.type == "submit" }.map(\.value) == ["Cancel", "Authorize"])
        #expect(form.sent.map(\.name) == ["username", "allow"])
    }
}

@Suite struct VectorDiffTests {
    @Test func differencesAreListedByPath() {
        let expected = JSONValue.object(["a": .array([.string("x"), .int(1)]), "b": .bool(true)])
        let actual = JSONValue.object(["a": .array([.string("y")]), "c": .null])
        #expect(VectorDiff.compare(expected: expected, actual: actual).map(\.path) == ["a[0]", "a[1]", "b", "c"])
        #expect(VectorDiff.compare(expected: expected, actual: expected).isEmpty)
    }

    @Test func prettyPrintingSortsKeys() {
        #expect(JSONValue.object(["b": .int(1), "a": .array([])]).pretty() == "{\n  \"a\": [],\n  \"b\": 1\n}\n")
    }
}
