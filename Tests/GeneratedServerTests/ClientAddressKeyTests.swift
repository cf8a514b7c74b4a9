import APIServer
import HTTPTypes
import NIOCore
import Testing

/// `ClientAddressPolicy.key` stands for `clientAddress` without making
/// text: equal keys must mean equal addresses, and the trusted-proxy check
/// on bytes must agree with the one on text.
@Suite struct ClientAddressKeyTests {
    func headers(_ forwarded: String?) -> HTTPFields {
        var fields = HTTPFields()
        if let forwarded { fields[.xForwardedFor] = forwarded }
        return fields
    }

    @Test func keysFollowTheAddressTheyStandFor() throws {
        let policy = try ClientAddressPolicy(trustedProxies: ["10.0.0.0/8", "fd00::/8", "192.0.2.7"])
        let peers = ["127.0.0.1", "127.0.0.2", "10.1.2.3", "10.200.0.1", "11.0.0.1", "192.0.2.7", "192.0.2.8",
                     "::1", "fd12::1", "fe80::1", "2001:db8::1", "::ffff:10.1.2.3"]
        let forwarded: [String?] = [nil, "198.51.100.1", "198.51.100.1, 10.0.0.9", "203.0.113.5, 198.51.100.2", "junk", "2001:db8::9"]
        var seen: [(key: ClientAddressKey, address: String?)] = []
        for peer in peers {
            for header in forwarded {
                let socket = try SocketAddress(ipAddress: peer, port: Int.random(in: 1024...65000))
                let fields = headers(header)
                let key = try #require(policy.key(peer: socket, headers: fields))
                let address = policy.clientAddress(peer: socket, headers: fields)
                // The port is not part of it.
                #expect(policy.key(peer: try SocketAddress(ipAddress: peer, port: 80), headers: fields) == key)
                for other in seen where other.key == key {
                    #expect(other.address == address, "\(peer) \(header ?? "-"): same key, different addresses")
                }
                seen.append((key, address))
            }
        }
        // An untrusted peer's header changes nothing; a trusted one's does.
        let untrusted = try SocketAddress(ipAddress: "11.0.0.1", port: 1)
        #expect(policy.key(peer: untrusted, headers: headers("198.51.100.1")) == policy.key(peer: untrusted, headers: headers(nil)))
        let trusted = try SocketAddress(ipAddress: "10.1.2.3", port: 1)
        #expect(policy.key(peer: trusted, headers: headers("198.51.100.1")) != policy.key(peer: trusted, headers: headers("198.51.100.2")))
        let trustedV6 = try SocketAddress(ipAddress: "fd12::1", port: 1)
        #expect(policy.key(peer: trustedV6, headers: headers("198.51.100.1")) != policy.key(peer: trustedV6, headers: headers(nil)))
        // Without trusted proxies, only the peer counts.
        let open = ClientAddressPolicy()
        #expect(open.key(peer: trusted, headers: headers("198.51.100.1")) == open.key(peer: trusted, headers: headers(nil)))
        #expect(open.key(peer: nil, headers: headers(nil)) == nil)
    }
}
