/// A type that generated code can write as JSON.
///
/// Encoding writes tokens into a `JSONWriter` directly: no intermediate
/// `JSON` tree, no reflection.
public protocol JSONEncodable {
    func encode(to writer: inout JSONWriter)
}
