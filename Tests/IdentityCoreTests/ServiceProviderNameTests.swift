import IdentityCore
import Testing

@Suite struct ServiceProviderNameTests {
    @Test(arguments: ["travelocity", "Travel Ocity", "app_1.2-beta", "A", "123"])
    func namesOfLettersDigitsDotDashUnderscoreAndSpaceAreAccepted(name: String) throws {
        try ServiceProviderName.validate(name)
    }

    @Test(arguments: [
        ("travel/ocity", "'/'"), ("app<script>", "'<'"), ("tab\there", "U+0009"), ("café", "'é'"), ("a@b", "'@'"),
    ])
    func anyOtherCharacterIsRefusedAndNamed(name: String, shown: String) {
        do {
            try ServiceProviderName.validate(name)
            Issue.record("'\(name)' was accepted")
        } catch {
            #expect(error.code == .spInvalidName)
            #expect(error.detail.contains(shown), "detail does not name the character: \(error.detail)")
        }
    }

    @Test func anEmptyOrBlankNameIsRefused() {
        #expect(throws: IdentityError(.spInvalidName, detail: "")) { try ServiceProviderName.validate("") }
        #expect(throws: IdentityError(.spInvalidName, detail: "")) { try ServiceProviderName.validate("   ") }
    }
}
