// swift-tools-version: 6.1
import PackageDescription

/// One set of settings for every target (Swift 6 language mode means strict concurrency).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let cryptoExtras = Target.Dependency.product(name: "_CryptoExtras", package: "swift-crypto")
let x509 = Target.Dependency.product(name: "X509", package: "swift-certificates")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "identity-harness",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "identity-server", targets: ["identity-server"]),
        .executable(name: "identity-server-test", targets: ["identity-server-test"]),
        .executable(name: "harness", targets: ["harness"]),
        .executable(name: "mock-sp", targets: ["mock-sp"]),
        .executable(name: "mock-idp", targets: ["mock-idp"]),
        .executable(name: "mock-scim", targets: ["mock-scim"]),
        // The mocks in an application's own tests: MockOpenIDProvider, MockSAMLIdentityProvider.
        .library(name: "IdentityMocks", targets: ["IdentityMocks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
    ],
    targets: [
        // MARK: system libraries
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // MARK: core
        .target(name: "IdentityCore", swiftSettings: swiftSettings),
        .target(name: "StrictYAML", dependencies: ["IdentityCore", .product(name: "Yams", package: "Yams")],
                swiftSettings: swiftSettings),
        .target(name: "IdentityStorage", dependencies: ["IdentityCore"], swiftSettings: swiftSettings),
        .target(name: "IdentityStorageSQLite",
                dependencies: ["IdentityCore", "IdentityStorage", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: swiftSettings),
        // Several server instances on one database (issue 19): PostgreSQL through postgres-nio.
        .target(name: "IdentityStoragePostgres",
                dependencies: ["IdentityCore", "IdentityStorage", .product(name: "PostgresNIO", package: "postgres-nio"), logging],
                swiftSettings: swiftSettings),
        .target(name: "StorageConformance", dependencies: ["IdentityCore", "IdentityStorage"],
                swiftSettings: swiftSettings),

        // MARK: protocols
        .target(name: "XMLSecurity", dependencies: ["CLibXML2", "IdentityCore", crypto, cryptoExtras, x509],
                swiftSettings: swiftSettings),
        .target(name: "SAML", dependencies: ["XMLSecurity", "IdentityCore", "CZlib", crypto, cryptoExtras, x509],
                swiftSettings: swiftSettings),

        // Listening (HTTP/1.1, and HTTP/2 over TLS), the development CA, connection limits.
        .target(name: "HTTPServing",
                dependencies: ["IdentityCore", hummingbird, logging, .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "HummingbirdTLS", package: "hummingbird"), .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                               nioSSL, x509, crypto, .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "NIOTLS", package: "swift-nio"),
                               .product(name: "HummingbirdCore", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                               .product(name: "HTTPTypes", package: "swift-http-types")],
                swiftSettings: swiftSettings),

        .target(name: "OIDC",
                dependencies: ["IdentityCore", "IdentityStorage", crypto, cryptoExtras, x509,
                               .product(name: "JWTKit", package: "jwt-kit")],
                swiftSettings: swiftSettings),

        // MARK: engine and server
        .target(name: "AuthFramework", dependencies: ["IdentityCore", "IdentityStorage", "OneTimePasswords", crypto, cryptoExtras],
                swiftSettings: swiftSettings),
        .target(name: "OneTimePasswords", dependencies: [crypto], swiftSettings: swiftSettings),
        // SCIM 2.0 (RFC 7643/7644): resources, filters, PATCH paths — no HTTP.
        .target(name: "SCIM", dependencies: ["IdentityCore", crypto], swiftSettings: swiftSettings),
        .target(name: "Connectors",
                dependencies: ["AuthFramework", "IdentityCore", "IdentityStorage", "OIDC", "SAML", "XMLSecurity", "OutboundHTTP",
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                               .product(name: "NIOFoundationCompat", package: "swift-nio")],
                swiftSettings: swiftSettings),
        // Outbound provisioning (PR-2): the queue in the store, SCIM 2.0 targets, the worker.
        .target(name: "Provisioning",
                dependencies: ["IdentityCore", "IdentityStorage", "SCIM", "Connectors", crypto, logging,
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                swiftSettings: swiftSettings),
        .target(name: "IdentityServer",
                dependencies: [
                    "IdentityCore", "IdentityStorage", "IdentityStorageSQLite", "IdentityStoragePostgres", "AuthFramework", "Connectors", "OneTimePasswords",
                    "SAML", "OIDC", "SCIM", "Provisioning",
                    "XMLSecurity", "StrictYAML", "HTTPServing", "OutboundHTTP", hummingbird, logging, x509, crypto, cryptoExtras,
                    .product(name: "HTTPTypes", package: "swift-http-types"),
                    .product(name: "Mustache", package: "swift-mustache"),
                    .product(name: "AsyncHTTPClient", package: "async-http-client"),
                ],
                swiftSettings: swiftSettings),

        // MARK: mocks (wire protocols only; never the server)
        // Only tests link these: the conformance hook and the crash-test fault (identity-server-test).
        .target(name: "ServerUnderTest",
                dependencies: ["IdentityServer", "IdentityStorageSQLite", "IdentityCore", "Provisioning", "StrictYAML", "HTTPServing", "OutboundHTTP", hummingbird, logging],
                swiftSettings: swiftSettings),
        .target(name: "ServerCommandLine", dependencies: ["IdentityServer", "IdentityCore", "AuthFramework", "HTTPServing", "CommandLineTLS", argumentParser, logging],
                swiftSettings: swiftSettings),
        // The HTTP clients of a party's own calls, trusting the system's CAs and those named.
        .target(name: "OutboundHTTP",
                dependencies: ["HTTPServing", nioSSL, .product(name: "AsyncHTTPClient", package: "async-http-client")],
                swiftSettings: swiftSettings),
        // --tls, --tls-cert, --tls-key for every executable that listens.
        .target(name: "CommandLineTLS", dependencies: ["HTTPServing", "OutboundHTTP", argumentParser], swiftSettings: swiftSettings),
        .target(name: "ProtocolVectors", dependencies: ["IdentityCore", "SAML", "XMLSecurity", "OIDC"], swiftSettings: swiftSettings),
        .target(name: "MockSupport",
                dependencies: ["SAML", "OIDC", "SCIM", "XMLSecurity", "IdentityCore", "StrictYAML", "HTTPServing", "OutboundHTTP", "ProtocolVectors", hummingbird, logging, x509, crypto, cryptoExtras,
                               .product(name: "AsyncHTTPClient", package: "async-http-client"),
                               .product(name: "JWTKit", package: "jwt-kit"),
                               .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
                path: "Mocks/MockSupport", swiftSettings: swiftSettings),
        .target(name: "IdentityMocks", dependencies: ["MockSupport", "OIDC", "IdentityCore", "HTTPServing", "StrictYAML"],
                path: "Mocks/IdentityMocks", swiftSettings: swiftSettings),
        .executableTarget(name: "mock-sp", dependencies: ["MockSupport", "CommandLineTLS", "OutboundHTTP", "HTTPServing", argumentParser, hummingbird, logging],
                          path: "Mocks/mock-sp", swiftSettings: swiftSettings),
        .executableTarget(name: "mock-idp", dependencies: ["MockSupport", "CommandLineTLS", "OutboundHTTP", "ProtocolVectors", "XMLSecurity", argumentParser, hummingbird, logging, crypto, cryptoExtras],
                          path: "Mocks/mock-idp", swiftSettings: swiftSettings),

        .executableTarget(name: "mock-scim", dependencies: ["MockSupport", "CommandLineTLS", "HTTPServing", "IdentityCore", argumentParser, hummingbird],
                          path: "Mocks/mock-scim", swiftSettings: swiftSettings),

        // MARK: harness
        // The scenario file format alone (what a scenario says, no way to run it): small, so
        // the scenario-YAML fuzz target builds without the servers and clients.
        .target(name: "ScenarioFormat", dependencies: ["StrictYAML"], swiftSettings: swiftSettings),
        .target(name: "ScenarioKit",
                dependencies: [
                    "ScenarioFormat", "MockSupport", "IdentityCore", "StrictYAML", "CLibXML2", "SAML", "OIDC", "XMLSecurity", "HTTPServing", "OneTimePasswords",
                    "OutboundHTTP",
                    .product(name: "AsyncHTTPClient", package: "async-http-client"), logging,
                    .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                ],
                swiftSettings: swiftSettings),

        .target(name: "HarnessReports",
                dependencies: ["ScenarioKit", "HTTPServing", "SAML", "IdentityCore"],
                swiftSettings: swiftSettings),

        .target(name: "EmbeddedTarget",
                dependencies: ["ScenarioKit", "ServerUnderTest", "IdentityServer", "IdentityCore", "HTTPServing", logging],
                swiftSettings: swiftSettings),

        // MARK: executables (argument parsing only)
        .executableTarget(name: "identity-server", dependencies: ["ServerCommandLine", argumentParser],
                          swiftSettings: swiftSettings),
        .executableTarget(name: "identity-server-test",
                          dependencies: ["ServerCommandLine", "ServerUnderTest", "IdentityStorageSQLite", argumentParser],
                          swiftSettings: swiftSettings),
        .executableTarget(name: "harness",
                          dependencies: ["ScenarioKit", "HarnessReports", "EmbeddedTarget", "ProtocolVectors", "IdentityCore", argumentParser, logging,
                                         .product(name: "AsyncHTTPClient", package: "async-http-client")],
                          swiftSettings: swiftSettings),

        // MARK: tests
        .testTarget(name: "IdentityCoreTests", dependencies: ["IdentityCore"], swiftSettings: swiftSettings),
        .testTarget(name: "StrictYAMLTests", dependencies: ["StrictYAML", "IdentityCore"], swiftSettings: swiftSettings),
        .testTarget(name: "StorageTests",
                    dependencies: ["IdentityStorage", "IdentityStorageSQLite", "IdentityStoragePostgres", "StorageConformance", "IdentityCore",
                                   .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"), logging],
                    swiftSettings: swiftSettings),
        .testTarget(name: "XMLSecurityTests", dependencies: ["XMLSecurity", "MockSupport", crypto, cryptoExtras, x509],
                    swiftSettings: swiftSettings),
        .testTarget(name: "SAMLTests", dependencies: ["SAML", "XMLSecurity", "IdentityCore", "MockSupport", "ProtocolVectors", x509], swiftSettings: swiftSettings),
        .testTarget(name: "SCIMTests", dependencies: ["SCIM", "IdentityCore"], swiftSettings: swiftSettings),
        .testTarget(name: "OIDCTests", dependencies: ["OIDC", "IdentityCore", "IdentityStorage", "MockSupport", "ProtocolVectors", crypto, cryptoExtras],
                    swiftSettings: swiftSettings),
        .testTarget(name: "ConnectorsTests",
                    dependencies: ["Connectors", "AuthFramework", "IdentityCore", "IdentityStorage", "OIDC", "SAML", "XMLSecurity", "HTTPServing",
                                   hummingbird, crypto, cryptoExtras, .product(name: "AsyncHTTPClient", package: "async-http-client")],
                    swiftSettings: swiftSettings),
        // Running executables and Chromium from tests.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "MockTests",
                    dependencies: ["MockSupport", "IdentityMocks", "TestSupport", "IdentityCore", "StrictYAML", "XMLSecurity", "HTTPServing", "SAML", "OIDC", hummingbird, crypto, cryptoExtras,
                                   .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                                   .product(name: "AsyncHTTPClient", package: "async-http-client")],
                    swiftSettings: swiftSettings),
        // The worked example of README "The mocks in your own tests": an application's test
        // that uses only the IdentityMocks product and the libraries an application has.
        .testTarget(name: "IdentityMocksExampleTests",
                    dependencies: ["IdentityMocks", hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "JWTKit", package: "jwt-kit"), .product(name: "AsyncHTTPClient", package: "async-http-client")],
                    swiftSettings: swiftSettings),
        // HTTPS: listeners, the development CA, TLS clients, the --tls command lines.
        .testTarget(name: "TLSTests",
                    dependencies: ["HTTPServing", "OutboundHTTP", "CommandLineTLS", "MockSupport", "ScenarioKit", "EmbeddedTarget", "Connectors", "IdentityCore",
                                   "TestSupport", "StrictYAML", x509, nioSSL, argumentParser, .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "NIOFoundationCompat", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                                   .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOTLS", package: "swift-nio"), hummingbird],
                    swiftSettings: swiftSettings),
        .testTarget(name: "AuthFrameworkTests", dependencies: ["AuthFramework", "IdentityCore", "IdentityStorage"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "IdentityServerTests",
                    dependencies: [
                        "IdentityServer", "AuthFramework", "Connectors", "IdentityCore", "IdentityStorage", "IdentityStorageSQLite", "SAML", "XMLSecurity", "OIDC",
                        "Provisioning", "SCIM",
                        "MockSupport", "ScenarioKit", "StrictYAML", "HTTPServing", "TestSupport",
                        hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird"),
                        .product(name: "AsyncHTTPClient", package: "async-http-client"),
                        .product(name: "JWTKit", package: "jwt-kit"),
                    ],
                    swiftSettings: swiftSettings),
        // MARK: fuzzing (Tests/Fuzz/run.sh builds these with libFuzzer; a plain build makes
        // them replayers of the seed and regression files named on their command line)
        .target(name: "FuzzSupport", dependencies: ["XMLSecurity"], path: "Tests/Fuzz/FuzzSupport", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzSAML", dependencies: ["FuzzSupport", "SAML", "XMLSecurity", "IdentityCore"], path: "Tests/Fuzz/FuzzSAML",
                          swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzXMLDSig", dependencies: ["FuzzSupport", "XMLSecurity"], path: "Tests/Fuzz/FuzzXMLDSig", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzJWT", dependencies: ["FuzzSupport", "OIDC", "IdentityCore"], path: "Tests/Fuzz/FuzzJWT", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzRedirectURI", dependencies: ["FuzzSupport", "OIDC"], path: "Tests/Fuzz/FuzzRedirectURI", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzSCIM", dependencies: ["FuzzSupport", "SCIM"], path: "Tests/Fuzz/FuzzSCIM", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzScenarioYAML", dependencies: ["FuzzSupport", "ScenarioFormat", "StrictYAML"], path: "Tests/Fuzz/FuzzScenarioYAML",
                          swiftSettings: swiftSettings),

        .testTarget(name: "ScenarioKitTests",
                    dependencies: ["ScenarioKit", "TestSupport", "HarnessReports", "SAML", "EmbeddedTarget", "IdentityServer", "MockSupport", "IdentityCore", "HTTPServing",
                                  .product(name: "AsyncHTTPClient", package: "async-http-client")],
                    swiftSettings: swiftSettings),
    ]
)
