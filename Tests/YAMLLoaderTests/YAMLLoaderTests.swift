import GeneratorDiagnostics
import Testing
@testable import YAMLLoader

/// Loads `text`, expecting success; returns the root and the diagnostics.
func load(_ text: String, limits: YAMLTreeLoader.Limits = YAMLTreeLoader.Limits()) throws -> (YAMLNode, [Diagnostic]) {
    var diagnostics = DiagnosticCollector()
    let root = try YAMLTreeLoader.load(text, file: SourceFile(path: "test.yaml"), limits: limits, diagnostics: &diagnostics)
    return (root, diagnostics.diagnostics)
}

/// Loads `text`, expecting a fatal diagnostic; returns it.
func loadFailure(_ text: String, limits: YAMLTreeLoader.Limits = YAMLTreeLoader.Limits()) -> Diagnostic? {
    var diagnostics = DiagnosticCollector()
    do {
        _ = try YAMLTreeLoader.load(text, file: SourceFile(path: "test.yaml"), limits: limits, diagnostics: &diagnostics)
        return nil
    } catch {
        return error.diagnostic
    }
}

@Suite struct ScalarResolutionTests {
    /// YAML 1.1 booleans, dates and sexagesimals are plain strings in YAML 1.2.
    @Test(arguments: ["on", "off", "yes", "no", "y", "n", "Yes", "NO", "2022-01-23", "2001-12-14t21:59:43.10-05:00", "1:20", "0b101", "~x", "nullx", "truex", "+", ".", "1.2.3", "0x", "0o", "0o8", "0xG", "1_000", "e5", ".e5", "1e", "NaN", "inf"])
    func yaml11ScalarsStayStrings(_ text: String) throws {
        let (root, diagnostics) = try load("value: \(text)\n")
        let scalar = try #require(root["value"]?.scalar)
        #expect(scalar.value == .string, "'\(text)' resolved to \(scalar.value)")
        #expect(scalar.text == text)
        #expect(diagnostics.isEmpty)
    }

    @Test func coreSchemaNullsAndBooleans() throws {
        let (root, _) = try load("a: null\nb: Null\nc: NULL\nd: ~\ne:\nf: true\ng: True\nh: TRUE\ni: false\nj: False\nk: FALSE\n")
        for key in ["a", "b", "c", "d", "e"] {
            #expect(root[key]?.scalar?.value == .null, "\(key)")
        }
        for key in ["f", "g", "h"] {
            #expect(root[key]?.scalar?.value == .bool(true), "\(key)")
        }
        for key in ["i", "j", "k"] {
            #expect(root[key]?.scalar?.value == .bool(false), "\(key)")
        }
    }

    @Test func coreSchemaNumbers() throws {
        let (root, _) = try load("""
            a: 12
            b: -7
            c: +3
            d: 0o17
            e: 0x1F
            f: 1.5
            g: -.5
            h: 1e3
            i: 2.5E-2
            j: .inf
            k: -.Inf
            l: 0755
            m: 99999999999999999999
            n: 7.
            """)
        #expect(root["a"]?.scalar?.value == .int(12))
        #expect(root["b"]?.scalar?.value == .int(-7))
        #expect(root["c"]?.scalar?.value == .int(3))
        #expect(root["d"]?.scalar?.value == .int(15))
        #expect(root["e"]?.scalar?.value == .int(31))
        #expect(root["f"]?.scalar?.value == .float(1.5))
        #expect(root["g"]?.scalar?.value == .float(-0.5))
        #expect(root["h"]?.scalar?.value == .float(1000))
        #expect(root["i"]?.scalar?.value == .float(0.025))
        #expect(root["j"]?.scalar?.value == .float(.infinity))
        #expect(root["k"]?.scalar?.value == .float(-.infinity))
        // YAML 1.2: leading zeros are decimal, not octal.
        #expect(root["l"]?.scalar?.value == .int(755))
        // Too large for Int: a number all the same, its text kept exactly.
        #expect(root["m"]?.scalar?.value == .float(1e20))
        #expect(root["m"]?.scalar?.text == "99999999999999999999")
        #expect(root["n"]?.scalar?.value == .float(7))
    }

    @Test func nanResolvesToNaN() throws {
        let (root, _) = try load("a: .nan\n")
        guard case .float(let value)? = root["a"]?.scalar?.value else {
            Issue.record("not a float")
            return
        }
        #expect(value.isNaN)
    }

    @Test func quotedAndBlockScalarsAreAlwaysStrings() throws {
        let (root, _) = try load("""
            a: "true"
            b: '12'
            c: "null"
            d: |
              42
            e: >
              on

            """)
        #expect(root["a"]?.scalar == YAMLScalar(text: "true", style: .doubleQuoted, value: .string))
        #expect(root["b"]?.scalar == YAMLScalar(text: "12", style: .singleQuoted, value: .string))
        #expect(root["c"]?.scalar?.value == .string)
        #expect(root["d"]?.scalar == YAMLScalar(text: "42\n", style: .literal, value: .string))
        #expect(root["e"]?.scalar == YAMLScalar(text: "on\n", style: .folded, value: .string))
    }

    @Test func explicitTags() throws {
        let (root, diagnostics) = try load("a: !!str 12\nb: !!int \"7\"\nc: !!float 2\nd: !!bool true\ne: !!null ''\nf: ! 12\n")
        #expect(root["a"]?.scalar?.value == .string)
        #expect(root["b"]?.scalar?.value == .int(7))
        #expect(root["c"]?.scalar?.value == .float(2))
        #expect(root["d"]?.scalar?.value == .bool(true))
        #expect(root["e"]?.scalar?.value == .null)
        #expect(root["f"]?.scalar?.value == .string)
        #expect(diagnostics.isEmpty)
    }

    @Test func badExplicitTagsAreReported() throws {
        let (_, diagnostics) = try load("a: !!int twelve\nb: !custom x\n")
        #expect(diagnostics.map(\.description) == [
            "test.yaml:1:4: error: 'twelve' is not an integer",
            "test.yaml:2:4: warning: unsupported YAML tag '!custom'; the value is read as a string",
        ])
    }
}

@Suite struct NodeTreeTests {
    @Test func everyNodeKnowsItsLineAndColumn() throws {
        let (root, _) = try load("""
            openapi: 3.1.0
            info:
              title: Tessera
              tags: [a, "b"]
            """)
        #expect(root.location.line == 1 && root.location.column == 1)
        let info = try #require(root.entry("info"))
        #expect((info.key.location.line, info.key.location.column) == (2, 1))
        #expect((info.value.location.line, info.value.location.column) == (3, 3))
        let title = try #require(info.value["title"])
        #expect((title.location.line, title.location.column) == (3, 10))
        let tags = try #require(info.value["tags"]?.sequence)
        #expect(tags.map { $0.location.column } == [10, 13])
        #expect(tags.map { $0.location.line } == [4, 4])
    }

    /// libyaml counts columns in characters; so do editors for these files.
    @Test func columnsCountCharactersNotBytes() throws {
        let (root, _) = try load("é: [ü, x]\n")
        let items = try #require(root["é"]?.sequence)
        #expect(items.map { $0.location.column } == [5, 8])
    }

    @Test func mappingsKeepDocumentOrder() throws {
        let (root, _) = try load("z: 1\na: 2\nm: 3\n")
        #expect(root.mapping?.map { $0.key.scalar?.text } == ["z", "a", "m"])
    }

    @Test func jsonIsYAML() throws {
        let (root, diagnostics) = try load(#"{"openapi": "3.0.3", "n": 3, "ok": true, "list": [1, "on", null], "nested": {"a": {}}}"#)
        #expect(root["openapi"]?.scalar?.value == .string)
        #expect(root["n"]?.scalar?.value == .int(3))
        #expect(root["ok"]?.scalar?.value == .bool(true))
        #expect(root["list"]?.sequence?.map { $0.scalar?.value } == [.int(1), .string, .null])
        #expect(root["nested"]?["a"]?.mapping?.isEmpty == true)
        #expect(diagnostics.isEmpty)
    }

    @Test func byteOrderMarkIsAccepted() throws {
        let (root, _) = try load("\u{FEFF}a: 1\n")
        #expect(root["a"]?.scalar?.value == .int(1))
    }
}

@Suite struct AnchorAndMergeTests {
    @Test func aliasesShareTheAnchoredNode() throws {
        let (root, _) = try load("""
            base: &base
              type: string
              maxLength: 5
            copy: *base
            """)
        let base = try #require(root["base"])
        let copy = try #require(root["copy"])
        #expect(base === copy)
        #expect(copy["maxLength"]?.scalar?.value == .int(5))
        #expect(root.expandedSize == 1 + 2 * (1 + 4) + 2)
    }

    @Test func undefinedAliasIsAnErrorWithItsLine() throws {
        let (root, diagnostics) = try load("a: 1\nb: *missing\n")
        #expect(root["b"]?.scalar?.value == .null)
        #expect(diagnostics.map(\.description) == ["test.yaml:2:4: error: alias '*missing' refers to no anchor defined before it"])
    }

    @Test func mergeKeysCopyEntriesWithoutOverriding() throws {
        let (root, diagnostics) = try load("""
            defaults: &defaults
              type: string
              maxLength: 10
            field:
              <<: *defaults
              maxLength: 20
              pattern: "^a"
            """)
        let field = try #require(root["field"]?.mapping)
        #expect(field.map { $0.key.scalar!.text } == ["type", "maxLength", "pattern"])
        #expect(root["field"]?["maxLength"]?.scalar?.value == .int(20))
        #expect(root["field"]?["type"]?.scalar?.text == "string")
        #expect(diagnostics.isEmpty)
    }

    @Test func mergeKeyListEarlierMappingsWin() throws {
        let (root, _) = try load("""
            a: &a {x: 1, y: 1}
            b: &b {y: 2, z: 2}
            c:
              <<: [*a, *b]
              z: 3
            """)
        let c = try #require(root["c"])
        #expect(c["x"]?.scalar?.value == .int(1))
        #expect(c["y"]?.scalar?.value == .int(1))
        #expect(c["z"]?.scalar?.value == .int(3))
        #expect(c.mapping?.count == 3)
    }

    @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
        let (root, _) = try load("a: {\"<<\": {x: 1}}\n")
        #expect(root["a"]?["<<"]?["x"]?.scalar?.value == .int(1))
    }

    @Test func mergeOfAScalarIsAnError() throws {
        let (_, diagnostics) = try load("a:\n  <<: 5\n  b: 1\n")
        #expect(diagnostics.map(\.description) == ["test.yaml:2:7: error: a merge key '<<' takes a mapping or a list of mappings, not the number 5"])
    }

    @Test func aliasBombIsRefused() {
        let bomb = """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """
        let failure = loadFailure(bomb)
        #expect(failure?.description == "test.yaml:7:4: error: aliases expand this document past 5000000 nodes; refusing it as an alias bomb")
    }

    @Test func aliasLimitIsConfigurable() throws {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"
        #expect(loadFailure(text, limits: YAMLTreeLoader.Limits(maxExpandedNodes: 10)) != nil)
        _ = try load(text, limits: YAMLTreeLoader.Limits(maxExpandedNodes: 100))
    }
}

@Suite struct ProblemTests {
    @Test func duplicateKeysAreErrorsWithBothLines() throws {
        let (root, diagnostics) = try load("""
            paths:
              /tokens:
                get: {}
              /users: {}
              /tokens:
                post: {}
            """)
        #expect(diagnostics.map(\.description) == [
            "test.yaml:5:3: error: duplicate key '/tokens' in a mapping (first at line 2)\ntest.yaml:2:3: note: '/tokens' first appears here",
        ])
        // The tree keeps the first value only.
        #expect(root["paths"]?.mapping?.map { $0.key.scalar!.text } == ["/tokens", "/users"])
        #expect(root["paths"]?["/tokens"]?["get"] != nil)
    }

    @Test func duplicateKeysInLargeMappingsAndFlowStyle() throws {
        let keys = (0..<100).map { "k\($0): \($0)" }.joined(separator: "\n")
        var collector = DiagnosticCollector()
        for diagnostic in try load(keys + "\nk57: again\nflow: {a: 1, b: 2, a: 3}\n").1 { collector.emit(diagnostic) }
        let diagnostics = collector.sorted
        #expect(diagnostics.map(\.message) == [
            "duplicate key 'k57' in a mapping (first at line 58)",
            "duplicate key 'a' in a mapping (first at line 102)",
        ])
        #expect(diagnostics.map { $0.location!.line } == [101, 102])
        #expect(diagnostics[1].location?.column == 20)
    }

    @Test func nestingDepthIsLimited() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let failure = loadFailure(deep)
        #expect(failure?.description == "test.yaml:1:257: error: nesting deeper than 256 levels; the document is refused")
        let alsoDeep = (0..<40).map { String(repeating: "  ", count: $0) + "k:" }.joined(separator: "\n") + " 1\n"
        #expect(loadFailure(alsoDeep, limits: YAMLTreeLoader.Limits(maxDepth: 30))?.location?.line == 31)
    }

    @Test func multipleDocumentsAreRefused() {
        let failure = loadFailure("a: 1\n---\nb: 2\n")
        #expect(failure?.description == "test.yaml:2:1: error: the file holds more than one YAML document; an OpenAPI description must be a single document")
    }

    @Test func leadingDocumentMarkerIsFine() throws {
        let (root, _) = try load("---\na: 1\n...\n")
        #expect(root["a"]?.scalar?.value == .int(1))
    }

    @Test func emptyFileIsRefused() {
        #expect(loadFailure("")?.description == "test.yaml:1:1: error: the file holds no YAML document")
        #expect(loadFailure("# only a comment\n")?.message == "the file holds no YAML document")
    }

    @Test func syntaxErrorsCarryLibyamlsMessageAndPosition() {
        let failure = loadFailure("a: 1\nb: [1, 2\nc: 3\n")
        #expect(failure?.message.hasPrefix("YAML syntax error: ") == true)
        #expect(failure?.location?.line == 3)
        let badIndent = loadFailure("a:\n  b: 1\n c: 2\n")
        #expect(badIndent?.description.hasPrefix("test.yaml:3:2: error: YAML syntax error: did not find expected key") == true)
        let tab = loadFailure("a:\n\tb: 1\n")
        #expect(tab?.location?.line == 2)
    }

    @Test func invalidUTF8IsRefused() {
        var diagnostics = DiagnosticCollector()
        let bytes: [UInt8] = Array("a: b\nc: ".utf8) + [0xFF, 0xFE, 0x41] + Array("\n".utf8)
        #expect(throws: FatalDiagnostic.self) {
            _ = try YAMLTreeLoader.load(bytes, file: SourceFile(path: "bin.yaml"), diagnostics: &diagnostics)
        }
    }

    @Test func unreadableFileIsAClearError() {
        var diagnostics = DiagnosticCollector()
        do {
            _ = try YAMLTreeLoader.load(contentsOf: "/nonexistent/openapi.yaml", diagnostics: &diagnostics)
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description == "error: cannot read file '/nonexistent/openapi.yaml': No such file or directory")
        }
    }
}
