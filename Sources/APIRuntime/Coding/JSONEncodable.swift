/// A type that generated code can write as JSON.
///
/// Encoding writes tokens into a ``JSONWriter`` directly: no intermediate
/// ``JSON`` tree, no reflection. A conformance writes exactly one JSON value
/// (an object, an array or a scalar); the writer places the commas.
///
/// ```swift
/// extension Point: JSONEncodable {
///     func encode(to writer: inout JSONWriter) {
///         writer.beginObject()
///         writer.field("x", x)
///         writer.field("y", y)
///         writer.endObject()
///     }
/// }
///
/// let bytes = JSONWriter.encode(Point(x: 1, y: 2))  // {"x":1,"y":2}
/// ```
public protocol JSONEncodable {
    /// Appends this value's JSON to `writer`: one complete value, written
    /// with the writer's token methods (or another value's `encode(to:)`).
    func encode(to writer: inout JSONWriter)
}
