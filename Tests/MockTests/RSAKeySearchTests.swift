import Foundation
import Testing
import _CryptoExtras

@testable import MockSupport

/// The built-in provider's two fresh keys are searched for side by side and handed out in
/// the order they are found (issue 20): each caller gets a key of its own, none twice.
struct RSAKeySearchTests {
    @Test func eachCallerGetsAKeyOfItsOwnAndNoKeyIsHandedOutTwice() async throws {
        let search = RSAKeySearch(count: 2)
        let first = try await search.nextKey()
        let second = try await search.nextKey()
        #expect(first.publicKey.pkcs1DERRepresentation != second.publicKey.pkcs1DERRepresentation)
        #expect(first.keySizeInBits == 2048 && second.keySizeInBits == 2048)
    }

    @Test func theSigningKeyIsTheFirstFoundAndTheAttackersTheNext() async throws {
        let (first, second) = (try _RSA.Signing.PrivateKey(keySize: .bits2048), try _RSA.Signing.PrivateKey(keySize: .bits2048))
        let search = RSAKeySearch(found: [first, second])
        let signing = try await search.nextKey()
        let attacker = BackgroundCredential(next: search, name: "attacker", now: Date())
        guard case .rsa(let attackerKey) = try attacker.value.key else {
            Issue.record("the attacker's key is not RSA")
            return
        }
        #expect(signing.publicKey.pkcs1DERRepresentation == first.publicKey.pkcs1DERRepresentation)
        #expect(attackerKey.publicKey.pkcs1DERRepresentation == second.publicKey.pkcs1DERRepresentation)
    }
}
