import Foundation
import IdentityCore

/// The browser's cookies, with the rules that decide which are kept and sent (RFC
/// 6265bis): host-only cookies keyed by host (ports do not separate cookies), Path,
/// Secure, expiry on the scenario clock, and SameSite — Lax is the default; a cross-site
/// request carries Lax cookies only when it is a top-level GET, and Strict ones never. A
/// Secure cookie is taken from and sent to a secure origin only — https, or a loopback
/// host, which browsers treat as one (W3C Secure Contexts §3.2: `localhost`, 127.0.0.0/8,
/// `::1`); a `__Secure-` one only when Secure, and a `__Host-` one only when Secure, with
/// `Path=/` and without Domain (§4.1.3; the prefixes matched in any case, §5.7).
struct CookieJar {
    enum SameSite: String {
        case strict = "Strict", lax = "Lax", none = "None"
    }

    struct Cookie {
        var name: String
        var value: String
        var host: String
        var path: String
        var secure: Bool
        var httpOnly: Bool
        var sameSite: SameSite
        var expires: Date?
        /// `ih_session [HttpOnly; Path=/; SameSite=Lax; Max-Age=28800]`, the value left out.
        var summary: String
    }

    private var cookies: [Cookie] = []

    /// A run over https (`harness run --tls`) records what a plain run records, so both are
    /// checked against one vector: a cookie set Secure over https is summarised without
    /// `Secure` and without a `__Host-`/`__Secure-` prefix, and one set over https without
    /// Secure is marked, which no vector has — so a party that forgets Secure under TLS
    /// fails the run.
    var schemeNeutral = false

    /// How a cookie's name is recorded: without its prefix in a scheme-neutral run.
    func recordedName(_ name: String) -> String {
        guard schemeNeutral else { return name }
        for prefix in ["__host-", "__secure-"] where name.lowercased().hasPrefix(prefix) { return String(name.dropFirst(prefix.count)) }
        return name
    }

    /// Whether `url` is an origin a Secure cookie may come from and go to.
    static func isSecureOrigin(_ url: URLComponents) -> Bool {
        if url.scheme?.lowercased() == "https" { return true }
        guard var host = url.host?.lowercased() else { return false }
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        return host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1"
    }

    mutating func clear() { cookies = [] }

    /// Stores a `Set-Cookie` received from `url`; returns its summary for the record.
    mutating func store(_ header: String, from url: URLComponents, now: Date) -> String? {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = parts.first, let equals = pair.firstIndex(of: "="), let host = url.host else { return nil }
        var cookie = Cookie(
            name: String(pair[..<equals]), value: String(pair[pair.index(after: equals)...]), host: host, path: "/", secure: false,
            httpOnly: false, sameSite: .lax, expires: nil, summary: "")
        var attributes = [String]()
        var hasDomain = false
        var pathIsRoot = false
        for attribute in parts.dropFirst() {
            let nameValue = attribute.split(separator: "=", maxSplits: 1).map(String.init)
            let name = nameValue[0].lowercased()
            let value = nameValue.count > 1 ? nameValue[1] : ""
            switch name {
            case "path":
                cookie.path = value.hasPrefix("/") ? value : "/"
                pathIsRoot = value == "/"
            case "secure": cookie.secure = true
            case "httponly": cookie.httpOnly = true
            case "samesite": cookie.sameSite = SameSite(rawValue: value.capitalized) ?? .lax
            case "max-age": if let seconds = Int(value) { cookie.expires = now.addingTimeInterval(TimeInterval(seconds)) }
            case "expires":
                if cookie.expires == nil, let date = Self.httpDate(value) { cookie.expires = date }
            case "domain": hasDomain = !value.isEmpty
            default: break
            }
            attributes.append(name == "expires" ? "Expires" : attribute)
        }
        let overHTTPS = url.scheme?.lowercased() == "https"
        var note = ""
        if schemeNeutral, overHTTPS {
            if cookie.secure {
                attributes.removeAll { $0.lowercased() == "secure" }
            } else {
                note = " (not Secure over https)"
            }
        }
        // Sorted: servers emit attributes in any order (Hummingbird's come from a dictionary).
        cookie.summary = "\(recordedName(cookie.name)) [\(attributes.sorted().joined(separator: "; "))]"
        let refusal = Self.refusal(cookie, fromSecureOrigin: Self.isSecureOrigin(url), pathIsRoot: pathIsRoot, hasDomain: hasDomain)
        if refusal == nil {
            cookies.removeAll { $0.name == cookie.name && $0.host == cookie.host && $0.path == cookie.path }
            if cookie.expires.map({ $0 > now }) ?? true { cookies.append(cookie) }
        }
        return cookie.summary + note + (refusal.map { " (refused: \($0))" } ?? "")
    }

    /// Why a browser would not store this cookie (RFC 6265bis §5.7), or nil.
    static func refusal(_ cookie: Cookie, fromSecureOrigin: Bool, pathIsRoot: Bool, hasDomain: Bool) -> String? {
        let name = cookie.name.lowercased()
        if cookie.sameSite == .none && !cookie.secure { return "SameSite=None without Secure" }
        if cookie.secure && !fromSecureOrigin { return "Secure from a plain http origin" }
        if name.hasPrefix("__secure-") && !cookie.secure { return "__Secure- without Secure" }
        if name.hasPrefix("__host-") && !(cookie.secure && pathIsRoot && !hasDomain) {
            return "__Host- needs Secure, Path=/ and no Domain"
        }
        return nil
    }

    /// The cookies a request to `url` carries. `crossSite` says whether the navigation
    /// (its initiator and every redirect so far) crossed sites.
    func header(for url: URLComponents, method: String, crossSite: Bool, now: Date) -> [Cookie] {
        guard let host = url.host else { return [] }
        let path = url.path.isEmpty ? "/" : url.path
        return cookies.filter { cookie in
            guard cookie.host == host, Self.pathMatches(path, cookie.path) else { return false }
            if cookie.secure && !Self.isSecureOrigin(url) { return false }
            if let expires = cookie.expires, expires <= now { return false }
            guard crossSite else { return true }
            switch cookie.sameSite {
            case .strict: return false
            case .lax: return method == "GET"
            case .none: return true
            }
        }.sorted { $0.name < $1.name }
    }

    static func pathMatches(_ requestPath: String, _ cookiePath: String) -> Bool {
        requestPath == cookiePath || (requestPath.hasPrefix(cookiePath) && (cookiePath.hasSuffix("/") || requestPath.dropFirst(cookiePath.count).first == "/"))
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    /// The site of a URL: its scheme and host (for IP addresses and single-label hosts
    /// there is no registrable domain to widen it to).
    static func site(_ url: URLComponents) -> String {
        "\(url.scheme ?? "")://\(url.host ?? "")"
    }
}
