import Hummingbird

extension Parameters {
    /// A path parameter as the client meant it: Hummingbird hands it over still
    /// percent-encoded, and a service provider named `Travel Ocity` arrives as
    /// `Travel%20Ocity`. A value whose encoding is broken stays as it is (and then names
    /// nothing, so the route answers not found).
    func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        return raw.removingPercentEncoding ?? raw
    }
}
