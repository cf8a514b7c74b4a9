import Foundation
import OpenAPIGenerator
import OpenAPITranslator
import TestSupport
import Testing

/// `FileSplit`: each kind of generated Swift spread over several files.
@Suite struct FileSplitTests {
    /// The Swift lines of `files` that say what is declared, as a sorted
    /// list: without the header comments, imports, blank lines, closing
    /// braces and the `extension Schemas {` (and the like) that only reopen
    /// a namespace. Equal for a split and an unsplit output exactly when
    /// every declaration is written once, unchanged, whatever its file.
    static func declarationLines(_ files: [GeneratorPipeline.GeneratedFile]) -> [String] {
        let reopened: Set<String> = ["extension Schemas {", "extension Operations {", "extension APIProtocol {", "extension Client {"]
        return files.filter { $0.name.hasSuffix(".swift") }.flatMap { file in
            file.contents.split(separator: "\n").map(String.init).filter { line in
                !line.hasPrefix("//") && !line.hasPrefix("import ") && line != "}" && !reopened.contains(line)
            }
        }.sorted()
    }

    static func kinds(_ files: [GeneratorPipeline.GeneratedFile], _ kind: String) -> [GeneratorPipeline.GeneratedFile] {
        files.filter { Self.kindAndPart($0.name).kind == kind }
    }

    /// `("Types", 3)` for `3-Types.swift`, `("Types", 1)` for `Types.swift`.
    static func kindAndPart(_ name: String) -> (kind: String, part: Int) {
        let stem = name.hasSuffix(".swift") ? String(name.dropLast(".swift".count)) : name
        guard let dash = stem.firstIndex(of: "-"), let part = Int(stem[..<dash]) else { return (stem, 1) }
        return (String(stem[stem.index(after: dash)...]), part)
    }

    /// Stripe in 4 files per kind: exactly the declared files, each kind's
    /// namespace declared once and extended by the others, every
    /// declaration of the unsplit output written once, and the same bytes
    /// on a second run.
    @Test func stripeSplitsIntoTheDeclaredFilesLosingNothing() throws {
        let spec = Locations.specs.appendingPathComponent("stripe-spec3.yaml").path
        let split = FileSplit(files: 4)
        let output = GeneratorPipeline.run(specPath: spec, embedDocument: true, modes: .all, split: split)
        #expect(!output.diagnostics.hasErrors)
        let expected = GeneratorPipeline.swiftFileNames(embedDocument: true, modes: .all, split: split)
        #expect(expected == [
            "Types.swift", "2-Types.swift", "3-Types.swift", "4-Types.swift",
            "Operations.swift", "2-Operations.swift", "3-Operations.swift", "4-Operations.swift",
            "Server.swift", "2-Server.swift", "3-Server.swift", "4-Server.swift",
            "Client.swift", "2-Client.swift", "3-Client.swift", "4-Client.swift",
            "Document.swift",
        ])
        #expect(output.files.map(\.name) == expected + ["API.md"])

        let whole = GeneratorPipeline.run(specPath: spec, embedDocument: true, modes: .all)
        #expect(whole.files.map(\.name) == ["Types.swift", "Operations.swift", "Server.swift", "Client.swift", "Document.swift", "API.md"])
        for (kind, namespace, reopened, name) in [
            ("Types", "public enum Schemas {", "extension Schemas {", "Schemas"),
            ("Operations", "public enum Operations {", "extension Operations {", "Operations"),
            ("Server", "extension APIProtocol {", "extension APIProtocol {", "APIProtocol"),
            ("Client", "public struct Client: Sendable {", "extension Client {", "Client"),
        ] {
            let files = Self.kinds(output.files, kind)
            #expect(files.count == 4)
            #expect(Self.declarationLines(files) == Self.declarationLines(Self.kinds(whole.files, kind)), "\(kind): a declaration is lost, doubled or changed")
            #expect(files[0].contents.contains("\n\(namespace)\n"), "\(kind).swift declares the namespace")
            #expect(files[0].contents.contains("File 1 of 4 (declares `\(name)`), with the"))
            for file in files.dropFirst() {
                // Stripe's 468 operations and its schemas fill every file.
                #expect(file.contents.contains("\n\(reopened)\n"), "\(file.name) extends the namespace")
                #expect(file.contents.components(separatedBy: "\n").count > 1000, "\(file.name) holds a share")
                #expect(!file.contents.contains("public enum Schemas {") && !file.contents.contains("public enum Operations {")
                        && !file.contents.contains("public protocol APIProtocol") && !file.contents.contains("public struct Client:"))
                #expect(file.contents.contains("(extends `\(name)`, which \(kind).swift declares), with the"))
            }
        }
        let again = GeneratorPipeline.run(specPath: spec, embedDocument: true, modes: .all, split: split)
        #expect(again.files == output.files, "the split is deterministic")
    }

    /// Sorted by path, as SwiftPM passes a target's files to the compiler,
    /// which cuts the list into one contiguous batch per core, the names
    /// alternate between the kinds: each half of the list (two cores) holds
    /// half of every kind's files, so no batch gets all of `Types`.
    @Test func sortedNamesShareEveryKindBetweenBatches() {
        for files in [2, 4, 8, 16] {
            let names = GeneratorPipeline.swiftFileNames(modes: .all, split: FileSplit(files: files)).sorted()
            let halves = [names.prefix(names.count / 2), names.suffix(names.count / 2)]
            for kind in ["Types", "Operations", "Server", "Client"] {
                let counts = halves.map { half in half.filter { Self.kindAndPart($0).kind == kind }.count }
                #expect(counts == [files / 2, files / 2], "\(files) per kind, \(kind): \(names)")
            }
        }
    }

    /// A small spec (Tessera's own) stays in one file per kind: the first
    /// file's declarations are the unsplit file's, and the others hold a
    /// header comment only (valid Swift, nothing to compile).
    @Test func smallSpecFillsTheFirstFileOnly() throws {
        let spec = Locations.packageRoot.appendingPathComponent("openapi.yaml").path
        let split = FileSplit(files: 3)
        let output = GeneratorPipeline.run(specPath: spec, modes: .all, split: split)
        let whole = GeneratorPipeline.run(specPath: spec, modes: .all)
        #expect(output.files.map(\.name) == GeneratorPipeline.swiftFileNames(modes: .all, split: split) + ["API.md"])
        for kind in ["Types", "Operations", "Server", "Client"] {
            let files = Self.kinds(output.files, kind)
            let unsplit = try #require(whole.files.first { $0.name == "\(kind).swift" })
            #expect(files.map(\.name) == ["\(kind).swift", "2-\(kind).swift", "3-\(kind).swift"])
            // Past the header, the first file is the unsplit file.
            func body(_ text: String) -> Substring { text[text.range(of: "\nimport ")!.lowerBound...] }
            #expect(body(files[0].contents) == body(unsplit.contents))
            for file in files.dropFirst() {
                let lines = file.contents.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.dropLast().allSatisfy { $0.hasPrefix("//") }, "\(file.name) is comments only")
                #expect(file.contents.contains("File \(file.name.prefix(1)) of 3: empty."))
            }
        }
    }

    /// A spec of `schemas` object schemas and `operations` GET operations.
    static func syntheticSpec(schemas: [String], operations: [String]) -> String {
        var text = "openapi: 3.1.0\ninfo: {title: Synthetic, version: '1'}\npaths:\n"
        for operation in operations {
            text += "  /\(operation):\n    get:\n      operationId: \(operation)\n      responses:\n"
            text += "        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/\(schemas[0])'}}}}\n"
        }
        text += "components:\n  schemas:\n"
        for schema in schemas {
            text += "    \(schema):\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        count: {type: integer, minimum: 0}\n"
        }
        return text
    }

    /// Adding a schema changes one Types file; adding an operation changes
    /// one file of Operations and Client, and of Server the one holding it
    /// besides Server.swift (the protocol and the routes list every
    /// operation). The others keep their bytes.
    @Test func addingOneSchemaOrOperationChangesOneFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let schemas = (0..<240).map { "Thing\($0)" }, operations = (0..<220).map { "op\($0)" }
        func generate(_ schemas: [String], _ operations: [String]) throws -> [String: String] {
            let spec = folder.appendingPathComponent("spec-\(schemas.count)-\(operations.count).yaml")
            try Self.syntheticSpec(schemas: schemas, operations: operations).write(to: spec, atomically: true, encoding: .utf8)
            let output = GeneratorPipeline.run(specPath: spec.path, modes: .all, split: FileSplit(files: 4))
            #expect(!output.diagnostics.hasErrors, "\(output.diagnostics.sorted)")
            return Dictionary(uniqueKeysWithValues: output.files.filter { $0.name != "API.md" }.map { ($0.name, $0.contents) })
        }
        func changed(_ a: [String: String], _ b: [String: String]) -> [String] {
            a.keys.filter { a[$0] != b[$0] }.sorted()
        }
        let before = try generate(schemas, operations)
        // 240 schemas and 220 operations fill all 4 files of each kind.
        for (name, text) in before where Self.kindAndPart(name).part > 1 {
            #expect(!text.contains(": empty."), "\(name) holds a share")
        }
        let moreSchemas = try generate(schemas + ["Added"], operations)
        let typesChanged = changed(before, moreSchemas)
        #expect(typesChanged.count == 1 && Self.kindAndPart(typesChanged[0]).kind == "Types", "\(typesChanged)")

        let moreOperations = try generate(schemas, operations + ["added"])
        let operationsChanged = changed(before, moreOperations)
        func of(_ kind: String) -> [String] { operationsChanged.filter { Self.kindAndPart($0).kind == kind } }
        #expect(of("Types").isEmpty, "\(operationsChanged)")
        #expect(of("Operations").count == 1, "\(operationsChanged)")
        #expect(of("Client").count == 1, "\(operationsChanged)")
        let server = of("Server")
        #expect(server.contains("Server.swift") && server.count <= 2, "\(server)")
        // The same operation lands in the same part of each kind.
        let part = Self.kindAndPart(try #require(of("Operations").first)).part
        #expect(of("Client") == [FileSplit.fileName("Client", part: part)])
        #expect(part == 1 || server.contains(FileSplit.fileName("Server", part: part)))
    }
}
