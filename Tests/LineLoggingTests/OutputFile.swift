#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A temporary file opened for writing, read back whole by the tests.
final class OutputFile {
    let path: String
    let descriptor: Int32

    init() {
        var template = Array("\(NSTemporaryDirectory())/line-logging-XXXXXX".utf8CString)
        descriptor = mkstemp(&template)
        precondition(descriptor >= 0, "mkstemp failed")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// The file's lines, without their newlines.
    func lines() throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes.
    func withBytes(_ body: (UnsafeRawBufferPointer) -> Void) {
        Array(utf8).withUnsafeBytes(body)
    }
}
