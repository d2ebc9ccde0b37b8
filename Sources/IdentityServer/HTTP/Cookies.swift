import Hummingbird

/// The server's cookies. Both are HttpOnly and SameSite=Lax: the flow page is reached by
/// a top-level GET, which carries Lax cookies even after a cross-site POST started the
/// flow. Under an https base URL they are Secure and named with the `__Host-` prefix
/// (RFC 6265bis §4.1.3.2): a browser then takes them only from a secure origin, for path
/// `/`, without a Domain — so neither a sibling subdomain nor a plain-http page on the same
/// host can plant or shadow a session (cookie tossing). Under http they keep plain names,
/// since a browser refuses a `__Host-` cookie that is not Secure.
enum ServerCookie: String {
    /// The SSO session token (its SHA-256 is the stored session ID).
    case session = "ih_session"
    /// Binds a flow to the browser that started it.
    case browser = "ih_browser"

    func name(secure: Bool) -> String { secure ? "__Host-" + rawValue : rawValue }

    func make(value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name(secure: secure), value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
