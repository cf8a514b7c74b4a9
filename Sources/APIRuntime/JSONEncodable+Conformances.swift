#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The writer's token for each standard type. `@inlinable` so generated
// encoders in another module call the writer directly.

extension String: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.string(self) }
}

extension Bool: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.bool(self) }
}

extension Int: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.int(self) }
}

extension Int32: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.int(Int(self)) }
}

extension Int64: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.int(self) }
}

extension Double: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.double(self) }
}

extension Float: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.float(self) }
}

extension UUID: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.uuid(self) }
}

extension Date: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.date(self) }
}

extension JSON: JSONEncodable {
    @inlinable public func encode(to writer: inout JSONWriter) { writer.raw(self) }
}

extension Optional: JSONEncodable where Wrapped: JSONEncodable {
    /// nil is written as `null`.
    @inlinable public func encode(to writer: inout JSONWriter) {
        if let value = self { value.encode(to: &writer) } else { writer.null() }
    }
}

extension Array: JSONEncodable where Element: JSONEncodable {
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
