import Hummingbird

/// The server's cookies. Both are HttpOnly and SameSite=Lax (Secure under https): the
/// flow page is reached by a top-level GET, which carries Lax cookies even after a
/// cross-site POST started the flow.
enum ServerCookie {
    /// The SSO session token (its SHA-256 is the stored session ID).
    static let session = "ih_session"
    /// Binds a flow to the browser that started it.
    static let browser = "ih_browser"

    static func make(_ name: String, value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

extension Request {
    func cookie(_ name: String) -> String? {
        cookies[name]?.value
    }
}
