extension StringProtocol {
    /// Runs `body` on the text's UTF-8 bytes: in place for native strings and
    /// substrings, through a copy otherwise (bridged or foreign strings).
    @inline(__always)
    func withUTF8Buffer<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        let copy = Array(utf8)
        return copy.withUnsafeBufferPointer(body)
    }
}
