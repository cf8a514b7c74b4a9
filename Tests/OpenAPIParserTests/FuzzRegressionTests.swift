import GeneratorDiagnostics
import OpenAPIModel
import OpenAPIParser
import Testing

/// Inputs found with the fuzz target (Fuzz/OpenAPIFrontEndFuzzer, run by
/// scripts/fuzz) that crashed or hung the front end, kept as tests.
@Suite struct ParserFuzzRegressionTests {
    /// `count` objects under `x-defs`, each `depth` levels of `items` deep,
    /// the innermost of each a `$ref` to the next; one schema refers to the first.
    static func deepReferenceChain(count: Int, depth: Int) -> String {
        var defs = "x-defs:\n"
        for index in 0..<count {
            let inner = index + 1 < count ? "{$ref: '#/x-defs/D\(index + 1)'}" : "{type: string}"
            defs += "  D\(index): " + String(repeating: "{items: ", count: depth) + inner + String(repeating: "}", count: depth) + "\n"
        }
        return spec(components: "schemas:\n  Root: {$ref: '#/x-defs/D0'}", extra: defs)
    }

    /// Building an object reached through a `$ref` recursed into it, and a
    /// chain of references to deep objects recursed as deep as all of them
    /// together: 12 objects of 240 levels (26 KB) overflowed the stack
    /// (SIGSEGV in `openapi-codegen --check`, even in release).
    @Test func referencesToDeepObjectsCannotNestPastTheDepthLimit() {
        let lines = diagnosticLines(Self.deepReferenceChain(count: 12, depth: 240))
        // D0 holds 241 levels; the $ref to D1 in its innermost level would add 241 more.
        #expect(lines == [
            "spec.yaml:10:1934: error: references nest more than 256 levels deep here (counting the levels inside the objects they lead to); giving up on '#/x-defs/D1'",
        ])
    }

    /// Chains of references to objects that fit together still read: four
    /// objects of 61 levels are 244.
    @Test func referencesToObjectsThatFitTogetherStillRead() throws {
        let document = try parseValid(Self.deepReferenceChain(count: 4, depth: 60))
        #expect(Set(document.components.schemas.keys) == ["Root", "D0", "D1", "D2", "D3"])
    }

    /// The cycle check followed each component's chain of `$ref`s to its end
    /// with a linear search at each link: cubic in the chain's length (4,000
    /// links, 190 KB: 37 s in a release build; a 64 KB input timed the
    /// fuzzer out). Each chain is now followed once.
    @Test func longReferenceChainsAreCheckedInLinearTime() throws {
        var schemas = "schemas:\n"
        let count = 3_000
        for index in 0..<count {
            schemas += index + 1 < count ? "  S\(index): {$ref: '#/components/schemas/S\(index + 1)'}\n" : "  S\(index): {type: string}\n"
        }
        let clock = ContinuousClock()
        var document: OpenAPIDocument?
        let elapsed = try clock.measure {
            document = try parseValid(spec(components: schemas))
        }
        #expect(document?.components.schemas.count == count)
        #expect(elapsed < .seconds(10), "\(elapsed)")
    }

    /// Cycles are reported as before: each component whose chain runs into a
    /// cycle, once per set of components.
    @Test func cyclesAreReportedOncePerChain() {
        #expect(diagnosticLines(spec(components: """
            schemas:
              X: {$ref: '#/components/schemas/A'}
              A: {$ref: '#/components/schemas/B'}
              B: {$ref: '#/components/schemas/A'}
              C: {$ref: '#/components/schemas/D'}
              D: {$ref: '#/components/schemas/E'}
              E: {type: string}
              F: {$ref: '#/components/schemas/D'}
            """)) == [
            "spec.yaml:8:15: error: the schema 'X' is a cycle of references: X → A → B → A",
            "spec.yaml:9:15: error: the schema 'A' is a cycle of references: A → B → A",
        ])
    }
}
