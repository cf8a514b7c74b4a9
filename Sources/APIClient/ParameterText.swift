#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import APIRuntime

/// A value a generated client can send as a path, query, header or cookie
/// parameter: its text, in the grammar the server's `ParameterDecodable`
/// reads back (`true`, `42`, `2026-12-04T22:30:00Z`, a UUID in lower case).
public protocol ParameterEncodable {
    /// The value as text, before any percent-encoding.
    var parameterText: String { get }
}

extension String: ParameterEncodable {
    public var parameterText: String { self }
}

extension Bool: ParameterEncodable {
    public var parameterText: String { self ? "true" : "false" }
}

extension Int: ParameterEncodable {
    public var parameterText: String { String(self) }
}

extension Int32: ParameterEncodable {
    public var parameterText: String { String(self) }
}

extension Int64: ParameterEncodable {
    public var parameterText: String { String(self) }
}

extension Double: ParameterEncodable {
    public var parameterText: String { String(self) }
}

extension Float: ParameterEncodable {
    public var parameterText: String { String(self) }
}

extension UUID: ParameterEncodable {
    public var parameterText: String { UUIDText.string(self) }
}

extension Date: ParameterEncodable {
    public var parameterText: String { RFC3339.format(self) }
}

/// Parameter values as text, and their percent-encoding (RFC 3986).
public enum ParameterText {
    /// The text of any value the server side can decode as a parameter: the
    /// standard types' own (`ParameterEncodable`), an enum's raw value.
    /// Generic over `ParameterDecodable` so that every parameter type of a
    /// spec works here without generated conformances.
    public static func text<Value: ParameterDecodable>(of value: Value) -> String {
        switch value {
        case let encodable as any ParameterEncodable: return encodable.parameterText
        case let enumeration as any RawRepresentable: return "\(enumeration.rawValue)"
        default: return "\(value)"
        }
    }

    /// Unreserved characters plus the sub-delimiters a path segment may
    /// carry unescaped; `/`, `?`, `#`, `%` and `,` are always escaped.
    static let segmentCharacters: Set<UInt8> = Set(Array("-._~!$&'()*+;=:@".utf8))
    /// Unreserved characters plus those a query value may carry unescaped;
    /// `&`, `=`, `+`, `,`, `#` and `%` are always escaped.
    static let queryCharacters: Set<UInt8> = Set(Array("-._~!$'()*;:@/?".utf8))

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// `text` with every byte but ASCII letters, digits and `keeping` as `%XX`.
    public static func encoded(_ text: String, keeping allowed: Set<UInt8>) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                result.append(byte)
            default:
                if allowed.contains(byte) {
                    result.append(byte)
                } else {
                    result += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
                }
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
