import Foundation
import GeneratorDiagnostics
import OpenAPIParser
import Testing

/// `OpenAPIDocumentParser.parse(bytes:path:)`, the entry point the fuzzer
/// (Fuzz/OpenAPIFrontEndFuzzer) feeds: the bytes of a file, read as the
/// file would be.
@Suite struct InMemoryTests {
    @Test func bytesParseLikeTheSameFile() throws {
        let text = spec(paths: "{/a: {get: {operationId: a, responses: {'200': {description: OK}}}}}", extra: "x-dup: 1\nx-dup: 2\n")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("spec.yaml")
        try write(text, to: url)

        let fromFile = OpenAPIDocumentParser.parse(fileAtPath: url.path)
        let fromBytes = OpenAPIDocumentParser.parse(bytes: Array(text.utf8), path: url.path)
        #expect(fromBytes.diagnostics.sorted.map(\.description) == fromFile.diagnostics.sorted.map(\.description))
        #expect(fromBytes.diagnostics.errorCount == 1)
        #expect(fromBytes.document?.operations.count == 1)
    }

    /// Bytes that are not UTF-8 text reach libyaml as they are: a UTF-16
    /// document with its byte-order mark reads, invalid UTF-8 is a located error.
    @Test func bytesThatAreNotUTF8Text() throws {
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in spec().utf16 {
            utf16 += [UInt8(truncatingIfNeeded: unit), UInt8(truncatingIfNeeded: unit >> 8)]
        }
        let result = OpenAPIDocumentParser.parse(bytes: utf16, path: "spec.yaml")
        #expect(result.succeeded, "\(result.diagnostics.diagnostics)")
        #expect(result.document?.info.title == "Test")

        let invalid = OpenAPIDocumentParser.parse(bytes: Array("openapi: 3.1.0\ninfo: ".utf8) + [0xC3, 0x28], path: "spec.yaml")
        #expect(invalid.document == nil)
        let error = try #require(invalid.diagnostics.diagnostics.first)
        #expect(error.severity == .error && error.location?.file.path == "spec.yaml", "\(error)")
        #expect(error.message.contains("invalid trailing UTF-8 octet (byte offset 22)"), "\(error)")
    }
}
