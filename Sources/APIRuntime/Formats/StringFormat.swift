/// The string `format`s the runtime validates.
///
/// `uuid` and `date-time` usually become `UUID` and `Date` properties and are
/// checked while decoding; these cases serve formats kept as `String`.
public enum StringFormat: Sendable, Equatable, Hashable {
    /// RFC 3339 full-date, `2022-01-23`.
    case date
    /// RFC 3339 date-time, `2022-01-23T04:56:07Z`.
    case dateTime
    /// Canonical `8-4-4-4-12` hex, either case.
    case uuid
    /// A simple `local@domain` check (no quoted local parts, no comments).
    case email
    /// An absolute URI: a scheme `[A-Za-z][A-Za-z0-9+.-]*:` and no spaces,
    /// control characters or characters URIs never contain.
    case uri

    /// Whether `value` has this format.
    public func isValid(_ value: String) -> Bool {
        switch self {
        case .date: return RFC3339.isFullDate(value)
        case .dateTime: return RFC3339.parseDateTime(value) != nil
        case .uuid: return UUIDText.parse(value) != nil
        case .email: return value.withUTF8Buffer(Self.isEmail)
        case .uri: return value.withUTF8Buffer(Self.isURI)
        }
    }

    /// The error message for a value without this format.
    public var message: String {
        switch self {
        case .date: return "must be a date (YYYY-MM-DD)"
        case .dateTime: return DecodingMessage.dateTime
        case .uuid: return DecodingMessage.uuid
        case .email: return "must be an email address"
        case .uri: return "must be a URI"
        }
    }

    private static func isEmail(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1,
              !bytes[(at + 1)...].contains(UInt8(ascii: "@"))
        else { return false }
        // Local part: atoms joined by single dots (RFC 5322 dot-atom).
        let local = UnsafeBufferPointer(rebasing: bytes[..<at])
        guard isDotSeparated(local, allowed: isAtomText) else { return false }
        let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
        if domain.first == UInt8(ascii: "["), domain.last == UInt8(ascii: "]") {
            // An address literal such as `[192.168.0.1]`.
            return domain.count > 2 && domain.dropFirst().dropLast().allSatisfy {
                $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]") && $0 != UInt8(ascii: "\\")
            }
        }
        guard isDotSeparated(domain, allowed: isLabelCharacter) else { return false }
        // Hostname labels neither start nor end with a hyphen.
        for label in domain.split(separator: UInt8(ascii: ".")) {
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") { return false }
        }
        return true
    }

    /// Non-empty parts separated by single dots, each made of allowed bytes.
    private static func isDotSeparated(_ bytes: UnsafeBufferPointer<UInt8>, allowed: (UInt8) -> Bool) -> Bool {
        var previousWasDot = true
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else {
                guard allowed(byte) else { return false }
                previousWasDot = false
            }
        }
        return !previousWasDot
    }

    /// RFC 5322 `atext`, plus any non-ASCII byte (RFC 6531 addresses).
    private static func isAtomText(_ byte: UInt8) -> Bool {
        if byte >= 0x80 || isAlphanumeric(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
             UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
             UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func isLabelCharacter(_ byte: UInt8) -> Bool {
        byte >= 0x80 || isAlphanumeric(byte) || byte == UInt8(ascii: "-")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isURI(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first,
              (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z"))
                || (first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z"))
        else { return false }
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") { break }
            guard isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-")
            else { return false }
            index += 1
        }
        guard index < bytes.count else { return false }
        // RFC 3986 never allows these unescaped anywhere in a URI.
        for byte in bytes[(index + 1)...] {
            if byte <= 0x20 || byte >= 0x7F { return false }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"),
                 UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"):
                return false
            default:
                continue
            }
        }
        return true
    }
}
