import Crypto
public import IdentityCore

/// Client secrets as stored (`sha256:<hex>`) and compared.
public enum ClientSecret {
    public static func hash(_ secret: String) -> String {
        "sha256:" + hex(SHA256.hash(data: Array(secret.utf8)))
    }

    /// Constant-time: both sides are hashes of equal length.
    public static func matches(_ secret: String, stored: String) -> Bool {
        ConstantTime.equals(hash(secret), stored)
    }

    /// A new secret: 256 bits, base64url.
    public static func generate(_ random: any RandomSource) -> String {
        random.token()
    }
}
