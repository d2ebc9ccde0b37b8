import IdentityCore
import SCIM
import Testing

/// A user account as a SCIM resource and back (PR-1): what a client sees, what it may
/// write, and what a query returns.
@Suite struct UserResourceTests {
    let schemas = SCIMUserSchemas(dialect: .standard)
    var mapping: SCIMUserMapping { SCIMUserMapping(schemas: schemas) }
    static let core = SCIMSchemaURN.user

    let alice = User(
        id: "u-1", username: "alice", passwordHash: "pbkdf2-sha256$secret",
        claims: [
            LocalClaims.givenName: "Alice", LocalClaims.lastName: "Andersen", LocalClaims.emailAddress: "alice@example.com",
            LocalClaims.mobile: "+44 20 7946 0000", LocalClaims.uri("organization"): "Example", LocalClaims.uri("dob"): "1990-01-01",
        ],
        roles: ["staff"])

    @Test func aUserIsItsClaimsUnderTheirSCIMNamesAndNeverItsPassword() throws {
        let resource = mapping.resource(alice, location: "https://idp.example/scim2/Users/u-1", groupID: { $0 })
        #expect(resource.member("userName") == .string("alice"))
        #expect(resource.member("name")?.member("familyName") == .string("Andersen"))
        #expect(resource.member("emails") == .array([.object([("value", .string("alice@example.com")), ("primary", .bool(true))])]))
        #expect(resource.member("phoneNumbers") == .array([.object([("value", .string("+44 20 7946 0000")), ("type", .string("mobile"))])]))
        #expect(resource.member("groups") == .array([.object([("value", .string("staff")), ("display", .string("staff"))])]))
        #expect(resource.member(SCIMSchemaURN.enterpriseUser)?.member("organization") == .string("Example"))
        #expect(resource.member(SCIMSchemaURN.custom)?.member("dob") == .string("1990-01-01"), "a claim no standard attribute holds")
        #expect(resource.member("password") == nil)
        #expect(!resource.jsonText().contains("pbkdf2"))
    }

    @Test func theVersionChangesWithTheContentAndNotWithTheHost() {
        let a = SCIMUserMapping.versioned(mapping.resource(alice, location: "https://one.example/x", groupID: { $0 })).etag
        let b = SCIMUserMapping.versioned(mapping.resource(alice, location: "https://two.example/x", groupID: { $0 })).etag
        var changed = alice
        changed.claims[LocalClaims.givenName] = "Alicia"
        let c = SCIMUserMapping.versioned(mapping.resource(changed, location: "https://one.example/x", groupID: { $0 })).etag
        #expect(a == b && a != c && a.hasPrefix("W/\""))
    }

    @Test func aBodyIsReadIntoClaimsAndWhatItLeavesOutIsMarkedForRemoval() throws {
        let body: SCIMValue = .object([
            ("schemas", .array([.string(Self.core), .string(SCIMSchemaURN.enterpriseUser)])), ("userName", .string("bob")),
            ("password", .string("Bob-Secret-123")), ("active", .bool(false)), ("id", .string("ignored")),
            ("name", .object([("givenName", .string("Bob"))])), ("phoneNumbers", .array([.object([("value", .string("+1 555")), ("type", .string("work"))])])),
            (SCIMSchemaURN.enterpriseUser, .object([("organization", .string("Acme"))])),
        ])
        let input = try mapping.input(from: body)
        #expect(input.userName == "bob" && input.password == "Bob-Secret-123" && input.active == false)
        #expect(input.claims[LocalClaims.givenName] == .some("Bob"))
        #expect(input.claims[LocalClaims.uri("telephone")] == .some("+1 555"))
        #expect(input.claims[LocalClaims.uri("organization")] == .some("Acme"))
        #expect(input.claims[LocalClaims.lastName] == .some(nil), "left out: removed by a PUT")
    }

    @Test func readOnlyClaimsAreNeitherWrittenNorClearedByAReplacement() throws {
        let verified = LocalClaims.uri("emailVerified")
        let body: SCIMValue = .object([
            ("schemas", .array([.string(Self.core), .string(SCIMSchemaURN.custom)])), ("userName", .string("bob")),
            (SCIMSchemaURN.custom, .object([("emailVerified", .string("true")), ("dob", .string("1990-01-01"))])),
        ])
        let input = try mapping.input(from: body)
        #expect(input.claims[verified] == nil, "not in the input at all: a PUT leaves it as stored")
        #expect(input.claims[LocalClaims.uri("dob")] == .some("1990-01-01"))
    }

    @Test func whatTheServerCannotStoreIsRefusedNotDropped() {
        let cases: [(SCIMValue, ErrorCode)] = [
            (.string("x"), .scimInvalidSyntax),
            (.object([("userName", .string("bob"))]), .scimInvalidSyntax),  // no schemas
            (.object([("schemas", .array([.string(Self.core)])), ("userName", .string("bob")), ("shoeSize", .number(44))]), .scimInvalidValue),
            (.object([("schemas", .array([.string(Self.core)])), ("userName", .number(1))]), .scimInvalidValue),
            (.object([("schemas", .array([.string(Self.core)]))]), .scimInvalidValue),  // no userName
            (.object([("schemas", .array([.string(Self.core)])), ("userName", .string("b")), ("active", .string("yes"))]), .scimInvalidValue),
            (.object([
                ("schemas", .array([.string(Self.core)])), ("userName", .string("b")),
                ("emails", .array([.object([("value", .string("a@x"))]), .object([("value", .string("b@x"))])])),
            ]), .scimInvalidValue),
            (.object([("schemas", .array([.string(Self.core)])), ("userName", .string("b")), ("name", .object([("nickname", .string("x"))]))]), .scimInvalidValue),
        ]
        for (body, code) in cases {
            #expect(throws: SCIMError(code, detail: ""), "\(body.jsonText())") { try mapping.input(from: body) }
        }
    }

    @Test func aQueryFiltersSortsPagesAndSelectsAttributes() throws {
        let users = ["carol", "alice", "bob", "dave"].enumerated().map { index, name in
            mapping.resource(
                User(id: "u-\(index)", username: name, claims: [LocalClaims.givenName: name.capitalized]), location: "https://x/Users/u-\(index)",
                groupID: { $0 })
        }
        let evaluator = SCIMFilterEvaluator(coreSchema: Self.core)
        let query = try SCIMQuery(
            parameters: ["filter": #"userName ne "dave""#, "sortBy": "userName", "sortOrder": "descending", "startIndex": "2", "count": "1",
                         "attributes": "name.givenName"],
            schemas: schemas)
        let (total, page) = query.run(users, evaluator: evaluator, schemas: schemas)
        #expect(total == 3)
        #expect(page.count == 1)
        #expect(page[0].member("userName") == .string("bob"), "carol, bob, alice; the second; userName is always returned")
        #expect(page[0].member("name") == .object([("givenName", .string("Bob"))]))
        #expect(page[0].member("meta") == nil && page[0].member("active") == nil)
        #expect(try SCIMQuery(parameters: ["count": "5000"], schemas: schemas).count == SCIMQuery.maximumCount)
        #expect(throws: SCIMError(.scimSensitive, detail: "")) { try SCIMQuery(parameters: ["sortBy": "password"], schemas: schemas) }
        #expect(throws: SCIMError(.scimInvalidFilter, detail: "")) { try SCIMQuery(parameters: ["filter": #"shoeSize eq "44""#], schemas: schemas) }
    }
}

/// PATCH (RFC 7644 §3.5.2) on a resource's JSON.
@Suite struct PatchTests {
    static let core = SCIMSchemaURN.user
    static let resource: SCIMValue = .object([
        ("schemas", .array([.string(core)])), ("id", .string("u-1")), ("userName", .string("alice")),
        ("name", .object([("givenName", .string("Alice")), ("familyName", .string("Andersen"))])),
        ("emails", .array([
            .object([("value", .string("alice@example.com")), ("type", .string("work"))]),
            .object([("value", .string("alice@home.example")), ("type", .string("home"))]),
        ])),
    ])

    func patch(_ operations: [SCIMValue]) throws -> SCIMValue {
        try SCIMPatch(.object([("schemas", .array([.string(SCIMSchemaURN.patchOp)])), ("Operations", .array(operations))]))
            .apply(to: Self.resource, coreSchema: Self.core)
    }

    static func op(_ op: String, _ path: String? = nil, _ value: SCIMValue? = nil) -> SCIMValue {
        var members: [(String, SCIMValue)] = [("op", .string(op))]
        if let path { members.append(("path", .string(path))) }
        if let value { members.append(("value", value)) }
        return .object(members)
    }

    @Test func addRemoveAndReplaceFollowTheirPaths() throws {
        let result = try patch([
            Self.op("Replace", "name.givenName", .string("Alicia")),
            Self.op("remove", #"emails[type eq "home"]"#),
            Self.op("replace", #"emails[type eq "work"].value"#, .string("alicia@example.com")),
            Self.op("add", nil, .object([("nickName", .string("Ali"))])),
            Self.op("add", "\(SCIMSchemaURN.enterpriseUser):organization", .string("Example")),
        ])
        #expect(result.member("name") == .object([("givenName", .string("Alicia")), ("familyName", .string("Andersen"))]))
        #expect(result.member("emails") == .array([.object([("value", .string("alicia@example.com")), ("type", .string("work"))])]))
        #expect(result.member("nickName") == .string("Ali"))
        #expect(result.member(SCIMSchemaURN.enterpriseUser)?.member("organization") == .string("Example"))
        #expect(result.member("schemas") == .array([.string(Self.core), .string(SCIMSchemaURN.enterpriseUser)]))
    }

    @Test func replaceMergesAComplexValueAndASubAttributePathReachesEveryValue() throws {
        let result = try patch([
            Self.op("replace", "name", .object([("givenName", .string("Alicia"))])),
            Self.op("replace", "emails.type", .string("other")),
        ])
        #expect(result.member("name") == .object([("givenName", .string("Alicia")), ("familyName", .string("Andersen"))]))
        #expect(result.member("emails") == .array([
            .object([("value", .string("alice@example.com")), ("type", .string("other"))]),
            .object([("value", .string("alice@home.example")), ("type", .string("other"))]),
        ]))
        #expect(throws: SCIMError(.scimInvalidValue, detail: "")) {
            try patch([Self.op("add", "emails", .array((0..<101).map { .object([("value", .string("a\($0)@x"))]) }))])
        }
    }

    @Test func readOnlyTargetsMissingTargetsAndMalformedMessagesAreRefused() {
        let cases: [([SCIMValue], ErrorCode)] = [
            ([Self.op("replace", "id", .string("u-2"))], .scimMutability),
            ([Self.op("add", "groups", .array([]))], .scimMutability),
            ([Self.op("remove")], .scimNoTarget),
            ([Self.op("replace", #"emails[type eq "other"].value"#, .string("x"))], .scimNoTarget),
            ([Self.op("add", #"emails[type eq "work"]"#, .string("x"))], .scimInvalidPath),
            ([Self.op("move", "name", .null)], .scimInvalidSyntax),
            ([Self.op("replace", "emails[type eq", .null)], .scimInvalidPath),
            ([], .scimInvalidSyntax),
        ]
        for (operations, code) in cases {
            #expect(throws: SCIMError(code, detail: ""), "\(operations.map { $0.jsonText() })") { try patch(operations) }
        }
    }
}
