#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The writer's token for each standard type. `@inlinable` so generated
// encoders in another module call the writer directly.

extension String: JSONEncodable {
    /// A JSON string, with `"`, `\` and control characters escaped.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.string(self) }
}

extension Bool: JSONEncodable {
    /// `true` or `false`.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.bool(self) }
}

extension Int: JSONEncodable {
    /// The integer in decimal.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.int(self) }
}

extension Int32: JSONEncodable {
    /// The integer in decimal.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.int(Int(self)) }
}

extension Int64: JSONEncodable {
    /// The integer in decimal.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.int(self) }
}

extension Double: JSONEncodable {
    /// The shortest text that reads back as the value; `null` for NaN and the
    /// infinities, which JSON cannot spell.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.double(self) }
}

extension Float: JSONEncodable {
    /// `Float`'s own shortest text (`0.1`); `null` for NaN and the infinities.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.float(self) }
}

extension UUID: JSONEncodable {
    /// A string in lowercase canonical form: `"0f8fad5b-d9cb-469f-a165-70867728950e"`.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.uuid(self) }
}

extension Date: JSONEncodable {
    /// An RFC 3339 string in UTC, fractional seconds only when present:
    /// `"2022-01-23T04:56:07Z"`.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.date(self) }
}

extension JSON: JSONEncodable {
    /// The value as is: numbers as their literal text, objects in their order.
    @inlinable public func encode(to writer: inout JSONWriter) { writer.raw(self) }
}

extension Optional: JSONEncodable where Wrapped: JSONEncodable {
    /// nil is written as `null`.
    @inlinable public func encode(to writer: inout JSONWriter) {
        if let value = self { value.encode(to: &writer) } else { writer.null() }
    }
}

extension Array: JSONEncodable where Element: JSONEncodable {
    /// A JSON array of the elements, in order.
    @inlinable public func encode(to writer: inout JSONWriter) {
        writer.beginArray()
        for element in self { element.encode(to: &writer) }
        writer.endArray()
    }
}

extension Dictionary: JSONEncodable where Key == String, Value: JSONEncodable {
    /// Members in ascending key order, so output is deterministic.
    public func encode(to writer: inout JSONWriter) {
        writer.beginObject()
        for key in keys.sorted() {
            writer.key(key)
            self[key].unsafelyUnwrapped.encode(to: &writer)
        }
        writer.endObject()
    }
}
