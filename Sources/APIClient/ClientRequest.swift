import APIRuntime

/// One request as a generated client makes it, before any transport sees it.
public struct ClientRequest: Sendable {
    /// `GET`, `POST`… in upper case.
    public var method: String
    /// The path from the server's root, with its prefix and the query:
    /// `/v1/tokens/3f…?page_size=10`. Every part is already percent-encoded.
    public var pathAndQuery: String
    /// Header names and values, in order; a name may repeat.
    public var headers: [(name: String, value: String)]
    /// The body's bytes; nil for none.
    public var body: [UInt8]?

    /// A request without query, headers or body.
    public init(method: String, path: String) {
        self.method = method
        self.pathAndQuery = path
        self.headers = []
        self.body = nil
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    // MARK: Building (called by generated code)

    /// Appends literal text of the path template (`/tokens/`), as is.
    public mutating func appendPath(literal: String) {
        pathAndQuery += literal
    }

    /// Appends a path parameter's value as one percent-encoded segment.
    public mutating func appendPath<Value: ParameterDecodable>(_ value: Value) {
        pathAndQuery += ParameterText.encoded(ParameterText.text(of: value), keeping: ParameterText.segmentCharacters)
    }

    /// Appends an array path parameter: its items comma-separated (`style: simple`).
    public mutating func appendPath<Value: ParameterDecodable>(_ values: [Value]) {
        pathAndQuery += values.map { ParameterText.encoded(ParameterText.text(of: $0), keeping: ParameterText.segmentCharacters) }.joined(separator: ",")
    }

    /// Adds `name=value` to the query; nothing for nil.
    public mutating func appendQuery<Value: ParameterDecodable>(_ name: String, _ value: Value?) {
        guard let value else { return }
        appendQueryItem(name, ParameterText.text(of: value))
    }

    /// Adds an array to the query: `name=a&name=b` when `explode`, else `name=a,b`.
    public mutating func appendQuery<Value: ParameterDecodable>(_ name: String, _ values: [Value]?, explode: Bool) {
        guard let values else { return }
        if explode {
            for value in values { appendQueryItem(name, ParameterText.text(of: value)) }
        } else {
            // The commas separate items, so each item's own commas are escaped.
            let joined = values.map { ParameterText.encoded(ParameterText.text(of: $0), keeping: ParameterText.queryCharacters) }.joined(separator: ",")
            appendRawQueryItem(ParameterText.encoded(name, keeping: ParameterText.queryCharacters), joined)
        }
    }

    /// Adds a `style: deepObject` parameter: `name[key]=value` for each entry, keys in order.
    public mutating func appendQuery(deepObject name: String, _ values: [String: String]?) {
        guard let values else { return }
        for key in values.keys.sorted() {
            appendQueryItem("\(name)[\(key)]", values[key] ?? "")
        }
    }

    /// Adds a header; nothing for nil.
    public mutating func appendHeader<Value: ParameterDecodable>(_ name: String, _ value: Value?) {
        guard let value else { return }
        headers.append((name, ParameterText.text(of: value)))
    }

    /// Adds an array header, its items comma-separated; nothing for nil.
    public mutating func appendHeader<Value: ParameterDecodable>(_ name: String, _ values: [Value]?) {
        guard let values else { return }
        headers.append((name, values.map(ParameterText.text(of:)).joined(separator: ",")))
    }

    /// Adds `name=value` to the `Cookie` header; nothing for nil.
    public mutating func appendCookie<Value: ParameterDecodable>(_ name: String, _ value: Value?) {
        guard let value else { return }
        let pair = "\(name)=\(ParameterText.encoded(ParameterText.text(of: value), keeping: ParameterText.segmentCharacters))"
        if let index = headers.firstIndex(where: { $0.name == "Cookie" }) {
            headers[index].value += "; " + pair
        } else {
            headers.append(("Cookie", pair))
        }
    }

    /// Sets a JSON body and its `Content-Type`; nothing for nil.
    public mutating func setJSONBody<Body: JSONEncodable>(_ value: Body?, contentType: String) {
        guard let value else { return }
        var writer = JSONWriter()
        value.encode(to: &writer)
        body = writer.bytes
        headers.append(("Content-Type", contentType))
    }

    /// Sets a body of another media type; nothing for nil.
    public mutating func setRawBody(_ bytes: [UInt8]?, contentType: String) {
        guard let bytes else { return }
        body = bytes
        headers.append(("Content-Type", contentType))
    }

    private mutating func appendQueryItem(_ name: String, _ value: String) {
        appendRawQueryItem(ParameterText.encoded(name, keeping: ParameterText.queryCharacters),
                           ParameterText.encoded(value, keeping: ParameterText.queryCharacters))
    }

    private mutating func appendRawQueryItem(_ name: String, _ value: String) {
        pathAndQuery += (pathAndQuery.contains("?") ? "&" : "?") + name + "=" + value
    }
}
