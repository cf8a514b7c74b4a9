/// A schema `pattern`: an ECMA-262 regular expression with JSON Schema's
/// search semantics (it matches if it matches anywhere; use `^…$` to anchor).
///
/// Compiled once, when the value is created (generated code keeps it in a
/// `static let`), and safe to use from any number of tasks at once. The
/// regex matches Unicode scalars with ASCII-only `\d` and `\w`, as ECMA-262
/// does. A pattern Swift cannot compile never rejects a value: a bad
/// pattern in the spec must not turn into failed requests or a crash.
public struct Pattern: Sendable {
    /// The pattern as written in the spec.
    public let source: String
    private let compiled: CompiledPattern

    /// Compiles `source`. Never fails: a pattern Swift's regex engine cannot
    /// compile gives a `Pattern` whose ``isValid`` is false and which matches
    /// every value (the generator warns about such patterns at build time).
    public init(_ source: String) {
        self.source = source
        compiled = CompiledPattern(source)
    }

    /// Whether the pattern compiled; when false, `matches` accepts everything.
    public var isValid: Bool { compiled.regex != nil }

    /// Whether the pattern matches anywhere in `value`.
    public func matches(_ value: String) -> Bool {
        guard let regex = compiled.regex else { return true }
        return (try? regex.firstMatch(in: value)) != nil
    }
}

/// Holds the compiled regex, which the standard library does not mark
/// `Sendable`.
///
/// `@unchecked Sendable` is sound here: the regex is a `let` that is never
/// mutated after `init`, matching only reads it, and the one lazily built
/// part (the lowered program) is forced in `init`, before the value can be
/// shared, so concurrent matches never race to build it.
final class CompiledPattern: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>?

    init(_ source: String) {
        guard let regex = try? Regex(source) else {
            self.regex = nil
            return
        }
        let configured = regex
            .matchingSemantics(.unicodeScalar)
            .asciiOnlyDigits()
            .asciiOnlyWordCharacters()
        _ = try? configured.firstMatch(in: "")
        self.regex = configured
    }
}
