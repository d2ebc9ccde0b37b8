/// The mock parties as a library for an application's own tests (`swift test`): a mock
/// OpenID Provider or SAML IdP started in-process on a free loopback port, users and
/// faults set in code, tokens minted, and what the mock saw read back — no container, no
/// fixed port, nothing to clean up but `stop()`.
///
/// ```swift
/// .testTarget(name: "MyAppTests", dependencies: [
///     "MyApp", .product(name: "IdentityMocks", package: "identity-harness"),
/// ])
/// ```
///
/// Everything of the mocks is re-exported (``MockIdentityProvider``, ``IdPFault``,
/// ``TokenMint``, ``IdPObservation``), so one import is enough.
@_exported public import MockSupport
@_exported public import OIDC
