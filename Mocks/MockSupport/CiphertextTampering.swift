/// The `tampered-ciphertext` fault's one change, shared by the mock IdP, the decryption
/// benchmark and the tests: one base64 character of the last `xenc:CipherValue` in a
/// document (the encrypted content, which follows its EncryptedKey) replaced.
public enum CiphertextTampering {
    /// `fromEnd`: that many characters before the value's end (3: inside the last AES block,
    /// so CBC's padding count); nil: the middle. Whitespace in the value is skipped.
    public static func changeOneCharacter(in xml: String, fromEnd: Int? = nil) -> String {
        guard let open = xml.range(of: "<xenc:CipherValue>", options: .backwards),
            let close = xml.range(of: "</xenc:CipherValue>", range: open.upperBound..<xml.endIndex)
        else { return xml }
        var value = Array(xml[open.upperBound..<close.lowerBound])
        guard !value.isEmpty else { return xml }
        var index = fromEnd.map { max(0, value.count - $0) } ?? value.count / 2
        while index < value.count - 1 && value[index].isWhitespace { index += 1 }
        value[index] = value[index] == "A" ? "B" : "A"
        var changed = xml
        changed.replaceSubrange(open.upperBound..<close.lowerBound, with: String(value))
        return changed
    }
}
