import Foundation
import Testing
import TestSupport

/// `openapi-codegen SPEC --output DIR --embed-document`: `Document.swift`
/// holds the spec's exact bytes as `APIDescription.document`, proved by
/// compiling it and writing the string back out.
@Suite struct EmbedDocumentTests {
    /// A spec built to break a naive string literal: `"""` followed by hashes,
    /// `\(…)` and `\#(…)`, backslashes (one ends a line), a tab, trailing
    /// spaces, non-ASCII (precomposed and decomposed accents, CJK, emoji,
    /// a no-break space).
    static let lines = [
        "openapi: 3.1.0",
        "# A comment with hashes: # ## ### #### and a quote-hash \"#",
        "info:",
        "  title: \"Quotes \\\"\\\"\\\" and hashes \\\"# ## ###\\\"#\"",
        "  version: '1'",
        "  description: |",
        "    Raw-string breakers: \"\"\" and \"\"\"# and \"\"\"#### and \"# and \"##",
        "    Interpolations: \\(x) \\#(y) \\##(z) and escapes \\n \\t \\u{41} \\#n",
        "    Backslashes: \\ \\\\ C:\\path\\to\\dir\\",
        "    Non-ASCII: café, cafe\u{301} (decomposed), 日本語, Ελληνικά, 🚀, \u{A0}nbsp",
        "    A tab:\tthen trailing spaces   ",
        "    ends with a backslash \\",
        "paths: {}",
    ]

    /// The same text three ways: LF with no final newline; CRLF with a
    /// byte-order mark (a multi-line literal would turn CRLF into LF);
    /// LF with a final newline.
    static let variants: [(String, [UInt8])] = [
        ("lf", Array(lines.joined(separator: "\n").utf8)),
        ("crlf-bom", [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8)),
        ("lf-final-newline", Array((lines.joined(separator: "\n") + "\n").utf8)),
    ]

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(arguments: 0..<3)
    func documentSwiftHoldsTheExactBytes(_ variant: Int) throws {
        let (name, bytes) = Self.variants[variant]
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("openapi.yaml")
        try Data(bytes).write(to: spec)
        let output = folder.appendingPathComponent("out")
        let result = try run(Locations.codegen, [spec.path, "--output", output.path, "--embed-document"])
        #expect(result.exited && result.status == 0, "\(name): \(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(files == ["API.md", "Document.swift", "Operations.swift", "Server.swift", "Types.swift"])

        // Compile it the way the server's target does and write the string back.
        let program = folder.appendingPathComponent("program")
        try FileManager.default.createDirectory(at: program, withIntermediateDirectories: true)
        try """
            import Foundation
            enum APIDescription {}
            try! Data(APIDescription.document.utf8).write(to: URL(fileURLWithPath: CommandLine.arguments[1]))

            """.write(to: program.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: output.appendingPathComponent("Document.swift"), to: program.appendingPathComponent("Document.swift"))
        let executable = program.appendingPathComponent("print-document")
        let compile = try run(URL(fileURLWithPath: "/usr/bin/env"), [
            "swiftc", "-Onone", program.appendingPathComponent("main.swift").path, program.appendingPathComponent("Document.swift").path,
            "-o", executable.path,
        ], timeout: 600)
        #expect(compile.exited && compile.status == 0, "\(name): swiftc failed:\n\(compile.stderr)")
        let written = folder.appendingPathComponent("written.yaml")
        let printed = try run(executable, [written.path])
        #expect(printed.exited && printed.status == 0, "\(name): \(printed.stderr)")
        let roundTripped = try [UInt8](Data(contentsOf: written))
        #expect(roundTripped == bytes, "\(name): APIDescription.document differs from the spec's bytes")
    }

    @Test func withoutTheFlagThereIsNoDocumentSwift() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("openapi.yaml")
        try Data(Self.variants[0].1).write(to: spec)
        let output = folder.appendingPathComponent("out")
        let result = try run(Locations.codegen, [spec.path, "--output", output.path])
        #expect(result.exited && result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(files == ["API.md", "Operations.swift", "Server.swift", "Types.swift"])
    }

    @Test func theFlagNeedsAnOutputFolder() throws {
        let spec = Locations.specs.appendingPathComponent("petstore.yaml")
        let result = try run(Locations.codegen, [spec.path, "--check", "--embed-document"])
        #expect(result.exited && result.status != 0 && result.status != 1)
        #expect(result.stderr.contains("--embed-document needs --output DIR."))
    }
}
