import Foundation
import XMLSecurity
import SAML

/// The page that ends a logout when OIDC RPs of the session have front-channel logout
/// URLs (Front-Channel Logout 1.0 §4): each in a hidden iframe, then on to `continueTo`
/// by a meta refresh, which a browser runs once the page and its frames have loaded — no
/// script needed. Without a place to go, it says the person is signed out.
enum FrontChannelPage {
    static func html(frames: [String], continueTo: String?) -> String {
        let next = continueTo.map { MarkupEscaping.attribute($0) }
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><meta name="ih-page" content="logout-frontchannel">\
            \(next.map { "<meta http-equiv=\"refresh\" content=\"0;url=\($0)\">" } ?? "")<title>Signing out</title></head>
            <body>\(POSTBinding.hiddenFrames(frames))
            <p>\(next == nil ? "You are signed out." : "Signing out of your applications…")</p>\
            \(next.map { "<p><a href=\"\($0)\">Continue</a></p>" } ?? "")
            </body></html>
            """
    }
}
