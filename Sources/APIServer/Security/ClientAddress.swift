import HTTPTypes
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Which address a request comes from: the connection's peer, unless the
/// peer is a trusted proxy, in which case `X-Forwarded-For` names it.
///
/// `X-Forwarded-For` is read from the right: each proxy appends the address
/// it received the request from, so the nearest hop that is not a trusted
/// proxy is the client. A header from any other peer is ignored, so a
/// client cannot choose the address it is throttled and audited under.
///
///     let policy = try ClientAddressPolicy(trustedProxies: ["10.0.0.0/8", "::1"])
public struct ClientAddressPolicy: Sendable {
    /// The proxies whose `X-Forwarded-For` is believed.
    public let trustedProxies: [AddressRange]

    /// Trusts no proxy: the peer is the client.
    public init() {
        trustedProxies = []
    }

    /// Trusts the proxies at these addresses or CIDR ranges
    /// (`192.0.2.7`, `10.0.0.0/8`, `fd00::/8`).
    public init(trustedProxies: [String]) throws {
        self.trustedProxies = try trustedProxies.map { text in
            guard let range = AddressRange(text) else { throw AddressRangeError(text: text) }
            return range
        }
    }

    /// The client's address as text; nil when the peer is not an IP socket.
    public func clientAddress(peer: SocketAddress?, headers: HTTPFields) -> String? {
        guard let address = peer?.ipAddress else { return nil }
        guard !trustedProxies.isEmpty, isTrusted(address) else { return address }
        let hops = headers[values: .xForwardedFor]
            .flatMap { $0.split(separator: ",") }
            .map { String($0.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()) }
        var client = address
        for hop in hops.reversed() {
            // A malformed hop ends the chain: what stands left of it was
            // written by someone no trusted proxy vouches for.
            guard AddressRange.bytes(of: hop) != nil else { break }
            client = hop
            if !isTrusted(hop) { break }
        }
        return client
    }

    func isTrusted(_ address: String) -> Bool {
        guard let bytes = AddressRange.bytes(of: address) else { return false }
        return trustedProxies.contains { $0.contains(bytes) }
    }

    /// A stand-in for `clientAddress(peer:headers:)` that costs a few
    /// nanoseconds and no text: the peer's address bytes, plus the
    /// `X-Forwarded-For` value as sent when the peer is a trusted proxy.
    /// Equal keys mean equal client addresses, so a caller that remembers
    /// the text of a key formats each client's address once.
    public func key(peer: SocketAddress?, headers: HTTPFields) -> ClientAddressKey? {
        guard var key = peer.flatMap(ClientAddressKey.init(peer:)) else { return nil }
        guard !trustedProxies.isEmpty, trustedProxies.contains(where: { $0.contains(key) }) else { return key }
        key.forwarded = headers[.xForwardedFor] ?? ""
        return key
    }
}

/// What knows which address a request comes from: `APIRequest` (what an
/// authenticator sees) and `OperationContext` (what an operation sees).
public protocol ClientAddressSource {
    /// The client's address as text (`ClientAddressPolicy.clientAddress`).
    var clientAddress: String? { get }
    /// The same as a key, made without text (`ClientAddressPolicy.key`).
    var clientAddressKey: ClientAddressKey? { get }
}

/// Where a request comes from, as `ClientAddressPolicy.key` makes it:
/// compared in a few nanoseconds, never formatted. Two requests with equal
/// keys have the same `clientAddress`: it depends only on the peer's IP
/// address, the `X-Forwarded-For` lines (when the peer is a trusted proxy)
/// and the policy, which a process keeps.
public struct ClientAddressKey: Sendable, Equatable {
    /// 4 or 6.
    let family: UInt8
    /// The address's bytes in memory order: IPv4 in the low half of `low`.
    let high: UInt64
    let low: UInt64
    /// A trusted proxy's `X-Forwarded-For` (its lines joined); nil when
    /// the peer is the client.
    var forwarded: String?

    /// The key in one nonzero word, for an IPv4 peer that is the client
    /// (the common case, which a caller can then compare atomically);
    /// nil for others.
    public var word: UInt64? {
        family == 4 && forwarded == nil ? 1 << 32 | low : nil
    }

    init(family: UInt8, high: UInt64, low: UInt64) {
        self.family = family
        self.high = high
        self.low = low
    }

    /// The key of an IP peer; nil for other sockets (no address).
    init?(peer: SocketAddress) {
        switch peer {
        case .v4(let address):
            self.init(family: 4, high: 0, low: UInt64(address.address.sin_addr.s_addr))
        case .v6(let address):
            let words = withUnsafeBytes(of: address.address.sin6_addr) {
                ($0.loadUnaligned(fromByteOffset: 0, as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
            self.init(family: 6, high: words.0, low: words.1)
        default:
            return nil
        }
    }

    /// The key of 4 or 16 address bytes, laid out as `init(peer:)` does.
    init?(bytes: [UInt8]) {
        switch bytes.count {
        case 4:
            self.init(family: 4, high: 0, low: UInt64(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
        case 16:
            let words = bytes.withUnsafeBytes {
                ($0.loadUnaligned(fromByteOffset: 0, as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
            self.init(family: 6, high: words.0, low: words.1)
        default:
            return nil
        }
    }
}

/// A trusted-proxy entry that is not an address or CIDR range.
public struct AddressRangeError: Error, CustomStringConvertible {
    /// The text that was not an address or range.
    public var text: String
    /// What was wrong, for a configuration error message.
    public var description: String { "'\(text)' is not an IP address or CIDR range (e.g. 10.0.0.0/8)" }
}

/// An IPv4 or IPv6 address range in CIDR form; a lone address is a range
/// of one.
public struct AddressRange: Sendable, Equatable {
    let network: [UInt8]
    let prefixLength: Int
    /// `network` and the prefix's mask as a `ClientAddressKey` lays out an
    /// address, so a peer is checked without making bytes of it.
    private let networkKey: ClientAddressKey
    private let maskKey: ClientAddressKey

    /// An address (`10.1.2.3`, `::1`) or a CIDR range (`10.0.0.0/8`); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.bytes(of: String(parts[0])) else { return nil }
        var length = bytes.count * 8
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...length).contains(given) else { return nil }
            length = given
        }
        network = bytes
        prefixLength = length
        var mask = [UInt8](repeating: 0, count: bytes.count)
        for index in mask.indices {
            let bits = max(0, min(8, length - index * 8))
            mask[index] = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
        networkKey = ClientAddressKey(bytes: bytes)!
        maskKey = ClientAddressKey(bytes: mask)!
    }

    /// Whether the peer address of `key` lies in the range.
    func contains(_ key: ClientAddressKey) -> Bool {
        key.family == networkKey.family
            && key.high & maskKey.high == networkKey.high & maskKey.high
            && key.low & maskKey.low == networkKey.low & maskKey.low
    }

    /// Whether `address` (4 or 16 bytes) lies in the range.
    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        var remaining = prefixLength
        for index in network.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address[index] & mask != network[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The bytes of an IPv4 (4) or IPv6 (16) address in text; nil when it is neither.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`.
    public static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
