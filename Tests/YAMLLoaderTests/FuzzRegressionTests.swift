import GeneratorDiagnostics
import Testing
@testable import YAMLLoader

/// Inputs found with the fuzz target (Fuzz/OpenAPIFrontEndFuzzer, run by
/// scripts/fuzz) that crashed or hung the front end, kept as tests.
@Suite struct LoaderFuzzRegressionTests {
    /// Each anchor nests the one before it 200 levels deeper: no single part
    /// is deeper than 256 levels and the expanded size stays small, but the
    /// tree is 4,000 levels deep, and building the model from it overflowed
    /// the stack (`openapi-codegen --check` died of SIGSEGV on this 36 KB spec).
    @Test func aliasesCannotNestPastTheDepthLimit() {
        var text = "openapi: 3.1.0\nx-defs:\n"
        var previous = "{}"
        for index in 0..<20 {
            text += "  a\(index): &a\(index) " + String(repeating: "{items: ", count: 200) + previous + String(repeating: "}", count: 200) + "\n"
            previous = "*a\(index)"
        }
        text += "components: {schemas: {S: \(previous)}}\n"
        // The first alias, *a0 on line 4 (column 11 + 200 × "{items: "), is
        // already 202 + 201 levels deep.
        #expect(loadFailure(text)?.description == "test.yaml:4:1611: error: nesting deeper than 256 levels once alias '*a0' is expanded; the document is refused")
    }

    /// The limit counts an alias as the levels its anchor holds, where the
    /// alias stands: the same as writing them out.
    @Test func aliasDepthCountsWhereTheAliasStands() throws {
        let limits = YAMLTreeLoader.Limits(maxDepth: 4)
        // `*a` holds 2 levels; under `b:` and `c:` it reaches level 4.
        let (root, _) = try load("a: &a [[1]]\nb: {c: *a}\n", limits: limits)
        #expect(root["b"]?["c"]?.sequence?.first?.sequence?.first?.scalar?.value == .int(1))
        _ = try load("b: {c: [[1]]}\n", limits: limits)
        // One level more is refused, as it is written out.
        #expect(loadFailure("a: &a [[1]]\nb: {c: [*a]}\n", limits: limits)?.description == "test.yaml:2:9: error: nesting deeper than 4 levels once alias '*a' is expanded; the document is refused")
        #expect(loadFailure("b: {c: [[[1]]]}\n", limits: limits)?.description.contains("nesting deeper than 4 levels") == true)
        // Scalars add no level; merge keys are checked where the alias stands.
        _ = try load("s: &s x\nm: &m {k: v}\nb: {c: {d: *s, <<: *m}}\n", limits: limits)
    }
}
