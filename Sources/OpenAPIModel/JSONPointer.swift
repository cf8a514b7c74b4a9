/// RFC 6901 JSON Pointer helpers (`#/components/schemas/Token`).
public enum JSONPointer {
    /// `~` → `~0`, `/` → `~1`.
    public static func escape(_ token: String) -> String {
        guard token.contains("~") || token.contains("/") else { return token }
        var result = ""
        for character in token {
            switch character {
            case "~": result += "~0"
            case "/": result += "~1"
            default: result.append(character)
            }
        }
        return result
    }

    /// `~1` → `/`, `~0` → `~` (in that order, as the RFC requires).
    public static func unescape(_ token: Substring) -> String {
        guard token.contains("~") else { return String(token) }
        var result = ""
        var iterator = token.makeIterator()
        while let character = iterator.next() {
            guard character == "~" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "0": result.append("~")
            case "1": result.append("/")
            case let other?: result.append("~"); result.append(other)
            case nil: result.append("~")
            }
        }
        return result
    }

    /// The tokens of a pointer such as `/components/schemas/a~1b`, percent-decoded
    /// as a URI fragment: `["components", "schemas", "a/b"]`. Nil when the
    /// pointer does not start with `/` (and is not empty).
    public static func tokens(_ pointer: String) -> [String]? {
        let utf8 = pointer.utf8
        guard let first = utf8.first else { return [] }
        guard first == UInt8(ascii: "/") else { return nil }
        // Byte-level split: pointers are short but there are many of them.
        let decoded = utf8.contains(UInt8(ascii: "%")) ? Array(percentDecode(pointer).utf8) : Array(utf8)
        return decoded.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { token in
            let text = String(decoding: token, as: UTF8.self)
            return token.contains(UInt8(ascii: "~")) ? unescape(text[...]) : text
        }
    }
}

extension JSONPointer {
    /// Percent-decoding without Foundation; invalid escapes are left as written.
    public static func percentDecode(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1]) {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
