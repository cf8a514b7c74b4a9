// Conveniences generated encoders call: one line per struct property.

extension JSONWriter {
    /// Writes `"key":value`.
    @inlinable
    public mutating func field<T: JSONEncodable>(_ key: String, _ value: T) {
        self.key(key)
        value.encode(to: &self)
    }

    /// Writes `"key":value`; for nil writes `"key":null` when the property is
    /// `nullable`, and leaves the member out otherwise.
    @inlinable
    public mutating func field<T: JSONEncodable>(_ key: String, _ value: T?, nullable: Bool) {
        if let value {
            self.key(key)
            value.encode(to: &self)
        } else if nullable {
            self.key(key)
            null()
        }
    }

    /// Writes an optional property whose schema allows null (JSON merge-patch
    /// semantics): nil (absent) leaves the member out, `.some(nil)` writes
    /// `"key":null` and `.some(value)` writes `"key":value`.
    @inlinable
    public mutating func field<T: JSONEncodable>(_ key: String, _ value: T??) {
        switch value {
        case .none:
            return
        case .some(.none):
            self.key(key)
            null()
        case .some(.some(let wrapped)):
            self.key(key)
            wrapped.encode(to: &self)
        }
    }

    /// Writes any encodable value (an array element, a top-level body).
    @inlinable
    public mutating func value<T: JSONEncodable>(_ value: T) {
        value.encode(to: &self)
    }

    /// The JSON bytes of one value.
    @inlinable
    public static func encode<T: JSONEncodable>(_ value: T, capacity: Int = 512) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        value.encode(to: &writer)
        return writer.bytes
    }
}
