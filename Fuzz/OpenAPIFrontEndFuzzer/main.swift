// A libFuzzer target for the generator's front end: the bytes of one spec go
// through what `openapi-codegen SPEC --check` runs (libyaml → YAMLLoader →
// ModelBuilder with `$ref` resolution → SemanticChecks), then through the
// CLI's rules for what may come out.
//
// Not part of the package: it needs `-sanitize=fuzzer`, so `scripts/fuzz`
// compiles it with the front end's sources into .build-fuzz/. See README,
// "The tests".
//
// The input is named `openapi.yaml` in the current folder, so relative
// `$ref`s resolve from there: scripts/fuzz runs the fuzzer in a folder that
// holds the Unkey split spec's `spec/` tree, which the seeds refer to.
#if canImport(Glibc)
import Glibc
#endif
import GeneratorDiagnostics
import OpenAPIModel
import OpenAPIParser

/// `FUZZ_PRINT=1 scripts/fuzz run FILE` prints what `--check` would.
let printDiagnostics = getenv("FUZZ_PRINT") != nil

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let result = OpenAPIDocumentParser.parse(bytes: bytes, path: "openapi.yaml")
    let diagnostics = result.diagnostics

    // What `--check` prints: every diagnostic, sorted, in compiler format.
    var printed = 0
    for diagnostic in diagnostics.sorted {
        let text = diagnostic.description
        printed &+= text.utf8.count
        if printDiagnostics { print(text) }
    }
    if let document = result.document {
        printed &+= document.openapi.utf8.count &+ document.paths.count &+ document.operations.count
            &+ document.components.schemas.count &+ document.webhooks.count
    }
    blackHole(printed)
    if printDiagnostics {
        let document = result.document
        print("document: \(document == nil ? "none" : "OpenAPI \(document!.openapi), \(document!.operations.count) operations, \(document!.components.schemas.count) schemas"), \(result.fileCount) files; \(diagnostics.errorCount) errors, \(diagnostics.warningCount) warnings")
    }

    // The CLI exits 1 when there is no document or there is an error; either
    // way the user must be told where: an error with a line and column.
    if result.document == nil || diagnostics.hasErrors {
        let located = diagnostics.diagnostics.contains { $0.severity == .error && $0.location != nil }
        if !located {
            fatalError("the spec is refused without a located error; diagnostics: \(diagnostics.diagnostics)")
        }
    }
    return 0
}

@inline(never)
func blackHole(_ value: Int) {
    if value == -1 { print(value) }
}
