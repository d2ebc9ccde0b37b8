/// Who the client is behind a load balancer (issue 19). A server behind HAProxy sees one
/// TCP peer — the balancer — for every person, so the per-address limits (failed password
/// checks, AU-7; connections per address) would count everyone together: one guesser
/// would throttle every user. The balancer says whom it forwards in `X-Forwarded-For`
/// (HAProxy's `option forwardfor`), and only a peer named in `http.trustedProxies` is
/// believed: anyone else could write that header too.
///
/// Addresses are compared exactly as written (`127.0.0.1`, `10.0.0.7`, `::1`); there are no
/// ranges, so a list says precisely which hosts are trusted.
extension HTTPLimits {
    /// The client's address: the peer itself, unless the peer is a trusted proxy; then the
    /// right-most address of the `X-Forwarded-For` chain that is not itself a trusted proxy
    /// (entries to its left were written by the client and prove nothing), or the left-most
    /// when every one is trusted. A malformed chain falls back to the peer.
    public func clientAddress(peer: String?, forwardedFor headers: [String]) -> String? {
        guard let peer, trustedProxies.contains(peer) else { return peer }
        let chain = headers.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !chain.isEmpty, chain.allSatisfy(Self.looksLikeAddress) else { return peer }
        return chain.last { !trustedProxies.contains($0) } ?? chain.first
    }

    /// An IPv4 or IPv6 address in text form: what a forwarded address may be (no ports,
    /// no names, nothing that could smuggle other characters into a log line).
    static func looksLikeAddress(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 45 && text.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
            && (text.contains(".") || text.contains(":"))
    }
}
