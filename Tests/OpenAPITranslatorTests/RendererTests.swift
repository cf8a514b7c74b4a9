import SwiftRenderer
import SwiftRepresentation
import Testing

@Suite struct RendererTests {
    @Test func stringLiteralsAreEscaped() {
        #expect(SwiftFileRenderer.stringLiteral("plain") == #""plain""#)
        #expect(SwiftFileRenderer.stringLiteral(#"a "q" \ b"#) == #""a \"q\" \\ b""#)
        #expect(SwiftFileRenderer.stringLiteral("line\nnext\ttab\u{1}") == #""line\nnext\ttab\u{1}""#)
        // Interpolation syntax in a spec stays text.
        #expect(SwiftFileRenderer.stringLiteral(#"\(x)"#) == #""\\(x)""#)
        #expect(SwiftFileRenderer.stringLiteral("é✓") == "\"é✓\"")
    }

    @Test func structWithDocsMembersAndBlankLines() {
        let declaration = Declaration.structure(StructDeclaration(
            doc: "A token.\n\nSecond paragraph.  ",
            name: "Token",
            conformances: ["Sendable", "Equatable"],
            members: [
                .variable(VariableDeclaration(name: "id", type: .named("UUID"))),
                .variable(VariableDeclaration(name: "label", type: .optional(.named("String")))),
                .function(FunctionDeclaration(
                    doc: "Makes one.",
                    kind: .initializer(failable: false),
                    parameters: [FunctionParameter(label: "id", name: "id", type: .named("UUID")), FunctionParameter(label: "label", name: "label", type: .optional(.named("String")), defaultValue: .nil)],
                    body: [.expression(.binary(.member(.self, "id"), "=", .identifier("id"))), .expression(.binary(.member(.self, "label"), "=", .identifier("label")))]
                )),
            ]
        ))
        #expect(SwiftFileRenderer.render(declaration) == """
            /// A token.
            ///
            /// Second paragraph.
            public struct Token: Sendable, Equatable {
                public var id: UUID
                public var label: String?

                /// Makes one.
                public init(id: UUID, label: String? = nil) {
                    self.id = id
                    self.label = label
                }
            }

            """)
    }

    @Test func statements() {
        let function = Declaration.function(FunctionDeclaration(
            access: nil, kind: .function(name: "f"), parameters: [FunctionParameter(label: nil, name: "x", type: .optional(.named("Int")))], returnType: .named("Int"),
            body: [
                .guardStatement([.optionalBinding("x", nil)], elseBody: [.returnStatement(.int(0))]),
                .ifStatement([.boolean(.binary(.identifier("x"), ">", .int(1)))], body: [.returnStatement(.int(1))], elseBody: [.comment("why"), .returnStatement(.int(2))]),
                .switchStatement(.identifier("x"), [
                    SwitchCase(patterns: [.int(1), .int(2)], body: [.returnStatement(.int(3))]),
                    SwitchCase(patterns: nil, body: []),
                ]),
                .forIn(pattern: "(index, item)", sequence: .call(.member(.identifier("list"), "enumerated"), []), body: [.expression(.call(.identifier("use"), [.unlabeled(.identifier("item"))]))]),
                .returnStatement(.call(.member(.identifier("values"), "sorted"), [], trailingClosure: Closure(body: [.expression(.binary(.identifier("$0"), "<", .identifier("$1")))]))),
            ]
        ))
        #expect(SwiftFileRenderer.render(function) == """
            func f(_ x: Int?) -> Int {
                guard let x else { return 0 }
                if x > 1 {
                    return 1
                } else {
                    // why
                    return 2
                }
                switch x {
                case 1, 2:
                    return 3
                default:
                    break
                }
                for (index, item) in list.enumerated() {
                    use(item)
                }
                return values.sorted { $0 < $1 }
            }

            """)
    }

    @Test func enumsWithRawValuesAndPayloads() {
        let declaration = Declaration.enumeration(EnumDeclaration(name: "Level", conformances: ["String"], members: [
            .enumCase(EnumCaseDeclaration(name: "readOnly", rawValue: .string("READ_ONLY"))),
            .enumCase(EnumCaseDeclaration(name: "fullAccess", rawValue: .string("FULL_ACCESS"))),
            .enumCase(EnumCaseDeclaration(doc: "With a payload.", name: "other", associatedValues: [.init(type: .named("Int")), .init(label: "headers", type: .named("H"), defaultValue: .call(.member(nil, "init"), []))])),
        ]))
        #expect(SwiftFileRenderer.render(declaration) == """
            public enum Level: String {
                case readOnly = "READ_ONLY"
                case fullAccess = "FULL_ACCESS"

                /// With a payload.
                case other(Int, headers: H = .init())
            }

            """)
    }

    @Test func emptyBodiesStayOnOneLine() {
        let declaration = Declaration.structure(StructDeclaration(name: "Input", conformances: ["Sendable"], members: [
            .function(FunctionDeclaration(kind: .initializer(failable: false), body: [])),
        ]))
        #expect(SwiftFileRenderer.render(declaration) == "public struct Input: Sendable {\n    public init() {}\n}\n")
    }
}
