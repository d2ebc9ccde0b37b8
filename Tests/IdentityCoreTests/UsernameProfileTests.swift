import IdentityCore
import Testing

/// AU-9: usernames in RFC 8265's UsernameCaseMapped form, and no mixed-script look-alikes.
struct UsernameProfileTests {
    @Test(arguments: [
        ("bob", "bob"), ("BOB", "bob"), ("\u{FF42}\u{FF4F}\u{FF42}", "bob"), ("\u{FF22}ob", "bob"),
        // NFC: a decomposed é is the precomposed one.
        ("rene\u{0301}", "ren\u{00E9}"), ("Ren\u{00C9}", "ren\u{00E9}"),
        ("alice@example.com", "alice@example.com"), ("7f1c9e0a-paula", "7f1c9e0a-paula"),
    ])
    func lookAlikeTextsHaveOneCanonicalForm(_ typed: String, _ canonical: String) throws {
        #expect(try UsernameProfile.canonical(typed) == canonical)
    }

    @Test func theDisplayFormKeepsTheCaseButNotTheWidth() throws {
        #expect(try UsernameProfile.display("\u{FF22}ob") == "Bob")
        #expect(try UsernameProfile.display("Alice") == "Alice")
    }

    @Test(arguments: [
        ("b\u{043E}b", ["Cyrillic", "Latin"]),  // Cyrillic о between Latin letters
        ("p\u{0430}ypal", ["Cyrillic", "Latin"]),  // Cyrillic а
        ("\u{03B1}lice", ["Greek", "Latin"]),  // Greek alpha
    ])
    func mixedScriptsAreRefused(_ username: String, _ scripts: [String]) {
        #expect(UsernameProfile.problem(with: username) == .mixedScripts(scripts))
        #expect(throws: IdentityError(.userUsernameMixedScripts, detail: "")) { try UsernameProfile.canonical(username) }
    }

    @Test(arguments: ["\u{0431}\u{043E}\u{0431}", "\u{5C71}\u{7530}\u{305F}\u{308D}\u{3046}", "tanaka\u{592A}\u{90CE}", "kim\u{BBFC}\u{C900}", "m\u{00FC}ller"])
    func oneScriptOrTheCJKCombinationsWithLatinAreAccepted(_ username: String) {
        #expect(UsernameProfile.problem(with: username) == nil)
    }

    @Test(arguments: [
        ("", UsernameProblem.empty), ("has space", .character(" ", position: 4)), ("a/b", .slash),
        ("tab\there", .character("\t", position: 4)), ("zero\u{200B}width", .character("\u{200B}", position: 5)),
        ("\u{FB01}le", .character("\u{FB01}", position: 1)),  // a ligature: a compatibility character
        ("emoji\u{1F600}", .character("\u{1F600}", position: 6)),
    ])
    func charactersOutsideTheIdentifierClassAreRefused(_ username: String, _ problem: UsernameProblem) {
        #expect(UsernameProfile.problem(with: username) == problem)
    }

    @Test func aUsernameHasAtMostSixtyFourCharacters() {
        #expect(UsernameProfile.problem(with: String(repeating: "x", count: 64)) == nil)
        #expect(UsernameProfile.problem(with: String(repeating: "x", count: 65)) == .tooLong)
    }

    @Test func accountsOfDifferentStoresShareOneKeyInATenant() {
        let primary = User(id: "1", username: "bob")
        let secondary = User(id: "2", userStore: "SECONDARY", username: "\u{FF42}OB")
        let elsewhere = User(id: "3", tenant: "example.org", username: "bob")
        #expect(primary.uniqueKey == secondary.uniqueKey)
        #expect(primary.uniqueKey != elsewhere.uniqueKey)
    }
}
