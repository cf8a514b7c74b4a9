import SwiftRepresentation

/// Prints the structured representation as formatted Swift: four-space
/// indentation, one declaration per line, doc comments as `///` lines.
/// The output depends only on its input, so generation is deterministic.
///
///     let text = SwiftFileRenderer.render(file)
public enum SwiftFileRenderer {
    public static func render(_ file: SwiftFile) -> String {
        var printer = Printer()
        for line in file.header {
            printer.line(line.isEmpty ? "//" : "// " + line)
        }
        // A file of comments only (an empty part of a split) ends with them.
        if !file.header.isEmpty && !(file.imports.isEmpty && file.declarations.isEmpty) { printer.blank() }
        for module in file.imports {
            printer.line("import \(module)")
        }
        if !file.imports.isEmpty { printer.blank() }
        printer.members(file.declarations)
        return printer.text
    }

    /// One declaration alone, for snippet tests.
    public static func render(_ declaration: Declaration) -> String {
        var printer = Printer()
        printer.declaration(declaration)
        return printer.text
    }

    /// A Swift string literal for `value`, escaped.
    public static func stringLiteral(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

/// Accumulates lines at the current indentation.
struct Printer {
    private(set) var text = ""
    private var indentation = 0
    private var lastLineWasBlank = true

    mutating func line(_ content: String) {
        if content.isEmpty {
            blank()
            return
        }
        let indent = String(repeating: "    ", count: indentation)
        if !content.utf8.contains(UInt8(ascii: "\n")) {
            text += indent
            text += content
            text += "\n"
        } else {
            // Multi-line expressions carry their own relative indentation.
            for part in content.split(separator: "\n", omittingEmptySubsequences: false) {
                text += indent + part + "\n"
            }
        }
        lastLineWasBlank = false
    }

    mutating func blank() {
        guard !lastLineWasBlank else { return }
        text += "\n"
        lastLineWasBlank = true
    }

    mutating func indented(_ body: (inout Printer) -> Void) {
        indentation += 1
        body(&self)
        indentation -= 1
    }

    /// `head {`, members, `}`; an empty body stays on one line.
    mutating func block(_ head: String, _ body: (inout Printer) -> Void) {
        var inner = Printer()
        inner.indentation = indentation + 1
        body(&inner)
        guard !inner.text.isEmpty else {
            line(head + " {}")
            return
        }
        line(head + " {")
        text += inner.text
        if inner.lastLineWasBlank { text.removeLast() }
        lastLineWasBlank = false
        line("}")
    }

    mutating func doc(_ doc: String?) {
        guard let doc, !doc.isEmpty else { return }
        for raw in doc.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            // Trailing blanks trimmed on bytes: descriptions can be long.
            var end = raw.endIndex
            while end > raw.startIndex {
                let previous = raw.index(before: end)
                let byte = raw[previous]
                guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") else { break }
                end = previous
            }
            let trimmed = String(Substring(raw[raw.startIndex..<end]))
            line(trimmed.isEmpty ? "///" : "/// " + trimmed)
        }
    }

    // MARK: Declarations

    /// Members separated by blank lines, except runs of undocumented enum
    /// cases and stored properties, which read best packed together.
    mutating func members(_ declarations: [Declaration]) {
        var previousPacked = false
        for (index, declaration) in declarations.enumerated() {
            let packed = Self.isPacked(declaration)
            if index > 0 && !(packed && previousPacked) { blank() }
            self.declaration(declaration)
            previousPacked = packed
        }
    }

    private static func isPacked(_ declaration: Declaration) -> Bool {
        switch declaration {
        case .associatedType: return true
        case .enumCase(let decl): return decl.doc == nil
        case .variable(let decl): return decl.doc == nil && decl.getter == nil
        default: return false
        }
    }

    mutating func declaration(_ declaration: Declaration) {
        switch declaration {
        case .structure(let decl):
            doc(decl.doc)
            block("\(prefix(decl.access))struct \(decl.name)\(inheritance(decl.conformances))") { $0.members(decl.members) }
        case .enumeration(let decl):
            doc(decl.doc)
            block("\(prefix(decl.access))\(decl.isIndirect ? "indirect " : "")enum \(decl.name)\(inheritance(decl.conformances))") { $0.members(decl.members) }
        case .enumCase(let decl):
            doc(decl.doc)
            var text = "case \(decl.name)"
            if !decl.associatedValues.isEmpty {
                text += "(" + decl.associatedValues.map { value in
                    (value.label.map { $0 + ": " } ?? "") + Self.type(value.type) + (value.defaultValue.map { " = " + expression($0) } ?? "")
                }.joined(separator: ", ") + ")"
            }
            if let raw = decl.rawValue { text += " = " + Self.literal(raw) }
            line(text)
        case .extensionBlock(let decl):
            doc(decl.doc)
            let access = decl.access.map { "\($0.rawValue) " } ?? ""
            block("\(access)extension \(decl.extendedType)\(inheritance(decl.conformances))") { $0.members(decl.members) }
        case .protocolBlock(let decl):
            doc(decl.doc)
            block("\(prefix(decl.access))protocol \(decl.name)\(inheritance(decl.conformances))") { $0.members(decl.members) }
        case .typeAlias(let decl):
            doc(decl.doc)
            line("\(prefix(decl.access))typealias \(decl.name) = \(Self.type(decl.type))")
        case .variable(let decl):
            variable(decl)
        case .function(let decl):
            function(decl)
        case .associatedType(let name, let constraint):
            line("associatedtype \(name)" + (constraint.map { ": " + $0 } ?? ""))
        case .mark(let text):
            line("// MARK: - \(text)")
        }
    }

    private func prefix(_ access: AccessModifier?) -> String {
        guard let access, access != .internal else { return "" }
        return access.rawValue + " "
    }

    private func inheritance(_ conformances: [String]) -> String {
        conformances.isEmpty ? "" : ": " + conformances.joined(separator: ", ")
    }

    private mutating func variable(_ decl: VariableDeclaration) {
        doc(decl.doc)
        var head = decl.attributes.map { $0 + " " }.joined()
        head += prefix(decl.access)
        if decl.isStatic { head += "static " }
        head += "\(decl.kind.rawValue) \(decl.name)"
        if let type = decl.type { head += ": " + Self.type(type) }
        if let getter = decl.getter {
            if getter.isEmpty {
                line(head + " { get }")
            } else {
                block(head) { $0.statements(getter) }
            }
            return
        }
        if let value = decl.value {
            head += " = " + expression(value)
        }
        line(head)
    }

    private mutating func function(_ decl: FunctionDeclaration) {
        doc(decl.doc)
        var head = decl.attributes.map { $0 + " " }.joined()
        head += prefix(decl.access)
        if decl.isStatic { head += "static " }
        if decl.isMutating { head += "mutating " }
        switch decl.kind {
        case .function(let name): head += "func \(name)"
        case .initializer(let failable): head += failable ? "init?" : "init"
        }
        if !decl.genericParameters.isEmpty { head += "<" + decl.genericParameters.joined(separator: ", ") + ">" }
        head += "(" + decl.parameters.map(parameter).joined(separator: ", ") + ")"
        if decl.isAsync { head += " async" }
        if let throwsType = decl.throwsType {
            head += throwsType.isEmpty ? " throws" : " throws(\(throwsType))"
        }
        if let returnType = decl.returnType { head += " -> " + Self.type(returnType) }
        if !decl.whereClause.isEmpty { head += " where " + decl.whereClause.joined(separator: ", ") }
        guard let body = decl.body else {
            line(head)
            return
        }
        block(head) { $0.statements(body) }
    }

    private func parameter(_ parameter: FunctionParameter) -> String {
        var text: String
        switch parameter.label {
        case nil: text = "_ \(parameter.name)"
        case parameter.name?: text = parameter.name
        case let label?: text = "\(label) \(parameter.name)"
        }
        text += ": " + (parameter.isInout ? "inout " : "") + Self.type(parameter.type)
        if let value = parameter.defaultValue { text += " = " + expression(value) }
        return text
    }

    static func type(_ type: TypeName) -> String {
        switch type {
        case .named(let name): return name
        case .optional(let wrapped): return Self.type(wrapped) + "?"
        case .array(let element): return "[" + Self.type(element) + "]"
        case .dictionary(let key, let value): return "[" + Self.type(key) + ": " + Self.type(value) + "]"
        case .generic(let name, let arguments): return name + "<" + arguments.map(Self.type).joined(separator: ", ") + ">"
        case .metatype(let base): return Self.type(base) + ".Type"
        }
    }

    static func literal(_ literal: Literal) -> String {
        switch literal {
        case .string(let value): return SwiftFileRenderer.stringLiteral(value)
        case .int(let value): return String(value)
        case .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .nil: return "nil"
        }
    }

    // MARK: Statements and expressions

    mutating func statements(_ statements: [Statement]) {
        for statement in statements { self.statement(statement) }
    }

    mutating func statement(_ statement: Statement) {
        switch statement {
        case .expression(let value):
            line(expression(value))
        case .binding(let kind, let name, let type, let value):
            var text = "\(kind.rawValue) \(name)"
            if let type { text += ": " + Self.type(type) }
            if let value { text += " = " + expression(value) }
            line(text)
        case .guardStatement(let conditions, let elseBody):
            let head = "guard " + conditions.map(condition).joined(separator: ", ") + " else"
            if elseBody.count == 1, case .returnStatement(let value) = elseBody[0] {
                line(head + " { return" + (value.map { " " + expression($0) } ?? "") + " }")
            } else {
                block(head) { $0.statements(elseBody) }
            }
        case .ifStatement(let conditions, let body, let elseBody):
            let head = "if " + conditions.map(condition).joined(separator: ", ")
            block(head) { $0.statements(body) }
            if let elseBody {
                text.removeLast(2)  // "}\n"
                lastLineWasBlank = false
                text += "} else {\n"
                indented { $0.statements(elseBody) }
                line("}")
            }
        case .switchStatement(let subject, let cases):
            line("switch \(expression(subject)) {")
            for item in cases {
                if let patterns = item.patterns {
                    line("case " + patterns.map(expression).joined(separator: ", ") + ":")
                } else {
                    line("default:")
                }
                indented { $0.statements(item.body.isEmpty ? [.expression(.identifier("break"))] : item.body) }
            }
            line("}")
        case .forIn(let pattern, let sequence, let body):
            block("for \(pattern) in \(expression(sequence))") { $0.statements(body) }
        case .doCatch(let body, let handler):
            block("do") { $0.statements(body) }
            text.removeLast(2)  // "}\n"
            lastLineWasBlank = false
            text += "} catch {\n"
            indented { $0.statements(handler) }
            line("}")
        case .returnStatement(let value):
            line("return" + (value.map { " " + expression($0) } ?? ""))
        case .throwStatement(let value):
            line("throw " + expression(value))
        case .comment(let text):
            line("// " + text)
        case .declaration(let declaration):
            self.declaration(declaration)
        }
    }

    private func condition(_ condition: Condition) -> String {
        switch condition {
        case .boolean(let value): return expression(value)
        case .optionalBinding(let name, let value):
            return value.map { "let \(name) = " + expression($0) } ?? "let \(name)"
        case .casePattern(let pattern, let value):
            return "case " + expression(pattern) + " = " + expression(value)
        }
    }

    func expression(_ expression: Expression) -> String {
        switch expression {
        case .identifier(let name): return name
        case .literal(let value): return Self.literal(value)
        case .member(let base, let name):
            return (base.map(self.expression) ?? "") + "." + name
        case .call(let callee, let arguments, let trailing):
            var text = self.expression(callee)
            if !arguments.isEmpty || trailing == nil {
                text += "(" + arguments.map(argument).joined(separator: ", ") + ")"
            }
            if let trailing { text += " " + closure(trailing) }
            return text
        case .inOut(let value): return "&" + self.expression(value)
        case .tryExpression(let value): return "try " + self.expression(value)
        case .awaitExpression(let value): return "await " + self.expression(value)
        case .binary(let lhs, let op, let rhs): return self.expression(lhs) + " \(op) " + self.expression(rhs)
        case .not(let value): return "!" + self.expression(value)
        case .closure(let value): return closure(value)
        case .arrayLiteral(let items):
            let rendered = items.map(self.expression)
            let inline = "[" + rendered.joined(separator: ", ") + "]"
            guard inline.count > 100 || inline.contains("\n") else { return inline }
            // Long lists: one element per line, indented under the bracket's line.
            return "[\n" + rendered.map { "    " + $0.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    ") + ",\n" }.joined() + "]"
        case .typeReference(let type): return Self.type(type) + ".self"
        case .type(let type): return Self.type(type)
        case .binding(let name): return "let \(name)"
        case .parenthesized(let value): return "(" + self.expression(value) + ")"
        case .forceUnwrap(let value): return self.expression(value) + "!"
        case .optionalPattern(let pattern): return self.expression(pattern) + "?"
        case .tuple(let items): return "(" + items.map(self.expression).joined(separator: ", ") + ")"
        }
    }

    private func argument(_ argument: Argument) -> String {
        (argument.label.map { $0 + ": " } ?? "") + expression(argument.value)
    }

    /// Closures are written on one line; generated closures are one statement.
    private func closure(_ closure: Closure) -> String {
        let head = closure.parameters.isEmpty ? "" : " " + closure.parameters.joined(separator: ", ") + " in"
        var inner = Printer()
        inner.statements(closure.body)
        let body = inner.text.split(separator: "\n").map { $0.trimmingPrefix(while: { $0 == " " }) }.joined(separator: "; ")
        return "{" + head + " " + body + " }"
    }
}

private extension Substring {
    func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
        self.drop(while: predicate)
    }
}
