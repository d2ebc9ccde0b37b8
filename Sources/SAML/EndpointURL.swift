import Foundation

/// The rule for every URL a Response may be posted to: absolute http(s) with a host and no
/// fragment. Registered ACS URLs are checked at registration; an ACS URL a signed request
/// vouches for is checked when the request arrives, so neither can be `javascript:`,
/// `data:` or relative.
public enum EndpointURL {
    public static func isAbsoluteHTTP(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return components.fragment == nil
    }
}
