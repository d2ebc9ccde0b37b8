import Testing
import XMLSecurity

/// Escaping works on UTF-8 bytes (issue 15); what it replaces is unchanged.
@Suite struct MarkupEscapingTests {
    @Test func textEscapesOnlyAmpersandAnglesAndCarriageReturn() {
        #expect(MarkupEscaping.text("a & b < c > d\r\"q\" 'a'\t\n") == "a &amp; b &lt; c &gt; d&#xD;\"q\" 'a'\t\n")
    }

    @Test func attributesAlsoEscapeQuotesAndWhitespace() {
        #expect(MarkupEscaping.attribute("x=\"1\" y='2'\t\n\r&<>") == "x=&quot;1&quot; y=&#39;2&#39;&#x9;&#xA;&#xD;&amp;&lt;&gt;")
    }

    @Test func multiByteCharactersPassThroughAroundEscapes() {
        #expect(MarkupEscaping.attribute("Ünïcødé & 日本 <😀>") == "Ünïcødé &amp; 日本 &lt;😀&gt;")
        #expect(MarkupEscaping.text("日本") == "日本")
        #expect(MarkupEscaping.text("") == "")
    }

    @Test func base64IsReturnedUnchanged() {
        let base64 = String(repeating: "PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPSJ1cm4=+/", count: 200)
        #expect(MarkupEscaping.attribute(base64) == base64)
    }
}
