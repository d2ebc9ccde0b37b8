public import X509
import Foundation

/// PEM and DER certificate handling in one place, with this module's error codes.
public enum CertificateLoader {
    public static func certificate(pem: String) throws(XMLSecurityError) -> Certificate {
        do {
            return try Certificate(pemEncoded: pem)
        } catch {
            throw XMLSecurityError(.certificateMalformed, detail: pemProblem(pem))
        }
    }

    /// Why a text is not a PEM certificate, in words an administrator can act on (the
    /// parser's own error names its source files).
    static func pemProblem(_ pem: String) -> String {
        guard let begin = pem.range(of: "-----BEGIN ") else { return "no '-----BEGIN CERTIFICATE-----' block" }
        let label = pem[begin.upperBound...].prefix { $0 != "-" && $0 != "\n" }
        guard label == "CERTIFICATE" else { return "the PEM block is a \(label.prefix(40)), not a CERTIFICATE" }
        return "the CERTIFICATE block does not hold a DER-encoded X.509 certificate"
    }

    /// Reads the base64 DER of a `ds:X509Certificate` element.
    public static func certificate(base64DER: String) throws(XMLSecurityError) -> Certificate {
        let cleaned = base64DER.filter { !$0.isWhitespace }
        guard let der = Data(base64Encoded: cleaned) else {
            throw XMLSecurityError(.certificateMalformed, detail: "X509Certificate is not base64")
        }
        do {
            return try Certificate(derEncoded: Array(der))
        } catch {
            throw XMLSecurityError(.certificateMalformed, detail: "X509Certificate is not a DER certificate: \(error)")
        }
    }

    public static func der(of certificate: Certificate) throws(XMLSecurityError) -> [UInt8] {
        do {
            return try certificate.serializeAsPEM().derBytes
        } catch {
            throw XMLSecurityError(.certificateMalformed, detail: "could not serialize certificate: \(error)")
        }
    }

    public static func pem(of certificate: Certificate) throws(XMLSecurityError) -> String {
        do {
            return try certificate.serializeAsPEM().pemString
        } catch {
            throw XMLSecurityError(.certificateMalformed, detail: "could not serialize certificate: \(error)")
        }
    }
}
