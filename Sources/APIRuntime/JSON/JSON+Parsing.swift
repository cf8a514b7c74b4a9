extension JSON {
    /// Parses one JSON document (RFC 8259, strictly) from UTF-8 bytes.
    ///
    /// Rejects trailing commas, comments, `NaN`/`Infinity`, leading zeros, a
    /// byte order mark, unescaped control characters, lone surrogates,
    /// invalid UTF-8, duplicate keys, nesting deeper than 64 levels and
    /// anything but whitespace after the value.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JSON {
        // The bytes are only ever read as UInt8, the type they were written as.
        let typed = UnsafeBufferPointer(
            start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        var parser = JSONParser(bytes: typed)
        return try parser.parseDocument()
    }

    /// Parses one JSON document from UTF-8 bytes.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSON {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONSyntaxError) -> JSON in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses one JSON document from text (its UTF-8 bytes, without copying
    /// when the string is native).
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSON {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONSyntaxError) -> JSON in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }
}
