import ScenarioFormat
import StrictYAML
import Testing

/// The `json` and `jwt` expectations as a scenario writes them: a well-formed one is read,
/// a malformed one is refused when the file is loaded, naming what it should be.
@Suite struct ExpectationFormatTests {
    static func scenario(_ expect: String) throws -> Scenario {
        try StrictYAML.decode(Scenario.self, from: "name: n\ncovers: [FE-1]\nsteps:\n  - expect: \(expect)\n", file: "s.yaml")
    }

    @Test func jsonAndJWTExpectationsAreRead() throws {
        let scenario = try Self.scenario(#"{ json: { token_type: Bearer, id_token: null }, jwt: { of: "{json.access_token}", header: { typ: at+jwt }, claims: { sub: a } } }"#)
        guard case .expect(let expectation) = scenario.steps.first else {
            Issue.record("not an expect step")
            return
        }
        #expect(expectation.json?["token_type"]?.stringValue == "Bearer" && expectation.jwt?["of"]?.stringValue == "{json.access_token}")
    }

    @Test func aMalformedJSONOrJWTExpectationIsRefusedWithWhatItShouldBe() {
        for malformed in [
            "{ json: [a, b] }", "{ json: Bearer }", "{ jwt: { header: { typ: JWT } } }", #"{ jwt: { of: "{json.id_token}" } }"#,
            #"{ jwt: { of: "{json.id_token}", claims: [sub] } }"#, #"{ jwt: { of: "{json.id_token}", payload: { sub: a } } }"#,
        ] {
            #expect(throws: (any Error).self, "\(malformed)") { try Self.scenario(malformed) }
        }
        #expect {
            try Self.scenario(#"{ jwt: { of: "{json.id_token}" } }"#)
        } throws: { error in
            "\(error)".contains("with header or claims")
        }
    }
}
