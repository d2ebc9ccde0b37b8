import IdentityCore
import SCIM
import Testing

/// SCIM filters (RFC 7644 §3.4.2.2): the grammar as the RFC's examples write it, the
/// evaluation a client relies on, and the refusals a hostile filter gets.
@Suite struct FilterTests {
    let parser = SCIMFilterParser()
    static let core = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    let evaluator = SCIMFilterEvaluator(coreSchema: FilterTests.core) { path in path.attribute.lowercased() == "id" }

    static let alice: SCIMValue = .object([
        ("id", .string("2819c223-7f76")), ("userName", .string("Alice")), ("userType", .string("Employee")), ("title", .string("Tour Guide")),
        ("name", .object([("givenName", .string("Alice")), ("familyName", .string("O'Malley"))])),
        ("emails", .array([
            .object([("value", .string("alice@example.com")), ("type", .string("work")), ("primary", .bool(true))]),
            .object([("value", .string("alice@home.example")), ("type", .string("home"))]),
        ])),
        ("active", .bool(true)), ("loginCount", .number(42)),
        ("meta", .object([("lastModified", .string("2011-05-13T04:42:34Z"))])),
        (FilterTests.enterprise, .object([("employeeNumber", .string("701984"))])),
    ])

    func matches(_ filter: String) throws -> Bool { evaluator.matches(Self.alice, try parser.parse(filter)) }

    @Test func theRFCsExamplesParse() throws {
        for text in [
            #"userName eq "bjensen""#, #"name.familyName co "O'Malley""#, #"userName sw "J""#,
            #"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#, "title pr", #"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            #"title pr and userType eq "Employee""#, #"title pr or userType eq "Intern""#,
            #"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            #"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            #"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            #"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            #"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        ] {
            _ = try parser.parse(text)
        }
    }

    @Test func andBindsTighterThanOrAndNotNeedsParentheses() throws {
        let filter = try parser.parse(#"a eq "1" or b eq "2" and c eq "3""#)
        let a = SCIMFilter.compare(SCIMAttributePath(attribute: "a"), .eq, .string("1"))
        let b = SCIMFilter.compare(SCIMAttributePath(attribute: "b"), .eq, .string("2"))
        let c = SCIMFilter.compare(SCIMAttributePath(attribute: "c"), .eq, .string("3"))
        #expect(filter == .or(a, .and(b, c)))
        #expect(try parser.parse(#"NOT (a EQ "1")"#) == .not(a), "keywords and operators are case-insensitive")
    }

    @Test func evaluationFollowsTheAttributesTypesAndMultipleValues() throws {
        #expect(try matches(#"userName eq "alice""#), "userName is not caseExact")
        #expect(try !matches(#"id eq "2819C223-7F76""#), "id is caseExact")
        #expect(try matches(#"name.familyName co "o'mal""#))
        #expect(try matches(#"emails co "home.example""#), "a complex multi-valued attribute compares its values")
        #expect(try matches(#"emails[type eq "work" and primary eq true]"#))
        #expect(try !matches(#"emails[type eq "home" and primary eq true]"#), "both conditions on the same member")
        #expect(try matches(#"loginCount ge 42 and loginCount lt 42.5"#))
        #expect(try matches(#"meta.lastModified ge "2011-05-13T04:42:34Z""#))
        #expect(try matches(#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#))
        #expect(try matches(#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "Al""#))
        #expect(try matches("title pr and not (nickName pr)"))
        #expect(try matches("nickName eq null") && !matches("title eq null"))
        #expect(try matches(#"emails ne "alice@example.com""#), "any value: the home address is not it")
        #expect(try !matches(#"userName ne "ALICE""#))
        #expect(try matches("name pr") && !matches("addresses pr"), "a complex attribute is present by itself")
    }

    @Test func malformedAndOversizedFiltersAreRefusedAsInvalidFilter() {
        let bad = [
            "", "userName", #"userName eq"#, #"userName eq bjensen"#, #"userName xx "a""#, #"(userName eq "a""#, #"userName eq "a")"#,
            #"userName eq "unclosed"#, #"emails[type eq "work""#, #"emails[type[value eq "x"]]"#, #"a.b.c eq "x""#, #"1abc eq "x""#,
            #"userName eq "a" and"#, #"not userName eq "a""#, #"userName eq "\q""#, "userName eq 1e999", "userName eq \"a\" ; drop table",
            #"urnx:foo:bar eq "x""#,
            String(repeating: "(", count: 40) + #"a eq "1""# + String(repeating: ")", count: 40),
            (0..<100).map { #"a\#($0) eq "x""# }.joined(separator: " or "),
            #"userName eq ""# + String(repeating: "x", count: 3000) + #"""#,
        ]
        for text in bad {
            #expect(throws: SCIMError(.scimInvalidFilter, detail: ""), "\(text.prefix(60))") { try parser.parse(text) }
        }
    }

    @Test func patchPathsNameAnAttributeAFilteredMemberOrItsSubAttribute() throws {
        #expect(try parser.parsePath("name.familyName") == SCIMPatchPath(attribute: SCIMAttributePath(attribute: "name", subAttribute: "familyName")))
        let member = try parser.parsePath(#"members[value eq "2819c223"]"#)
        #expect(member.attribute.attribute == "members" && member.filter != nil && member.subAttribute == nil)
        let sub = try parser.parsePath(#"emails[type eq "work"].value"#)
        #expect(sub.subAttribute == "value")
        #expect(try parser.parsePath("\(Self.enterprise):manager.value").attribute.schema == Self.enterprise)
        for bad in ["", "emails[", #"emails[type eq "work"]."#, #"emails[type eq "work"] x"#, "name.given.name", #"name.givenName[value eq "x"]"#] {
            #expect(throws: SCIMError(.scimInvalidPath, detail: ""), "\(bad)") { try parser.parsePath(bad) }
        }
    }
}
