/// A Swift expression in a generated function body, structured so the
/// renderer owns every brace, comma and escape.
///
/// The helpers below keep translator code close to the Swift it describes:
///
/// ```swift
/// let check: Expression = .tryExpression(
///     .identifier("object").dot("required").call(
///         .unlabeled(.typeReference(.named("String"))),
///         .unlabeled(.string("token_label")),
///         Argument("errors", .inOut(.identifier("errors")))
///     )
/// )
/// // try object.required(String.self, "token_label", errors: &errors)
/// ```
public indirect enum Expression: Sendable, Equatable {
    /// A name as written: a variable, a type, a function (`errors`, `Schemas`).
    case identifier(String)
    /// A literal value; strings are escaped by the renderer.
    case literal(Literal)
    /// `base.name`, or `.name` when the base is nil (implicit member).
    case member(Expression?, String)
    /// `callee(label: value, ...)`, with an optional trailing closure.
    case call(Expression, [Argument], trailingClosure: Closure? = nil)
    /// `&value`.
    case inOut(Expression)
    /// `try value`.
    case tryExpression(Expression)
    /// `await value`.
    case awaitExpression(Expression)
    /// `lhs op rhs`.
    case binary(Expression, String, Expression)
    /// `!value`.
    case not(Expression)
    /// `{ parameters in body }`, on one line.
    case closure(Closure)
    /// `[a, b]`.
    case arrayLiteral([Expression])
    /// A type as a value: `String.self`.
    case typeReference(TypeName)
    /// A type called as a function: `[String](json: ...)`, `Schemas.User(...)`.
    case type(TypeName)
    /// `let name` inside a pattern (`case .user(let value)`).
    case binding(String)
    /// `(a, b)`.
    case tuple([Expression])
    /// `pattern?` inside a pattern (`case let value?? = x`).
    case optionalPattern(Expression)
    /// `value!`, for values the spec guarantees (an enum default's raw value).
    case forceUnwrap(Expression)
    /// `(value)`, for precedence the renderer cannot infer.
    case parenthesized(Expression)

    /// `base.name`
    public func dot(_ name: String) -> Expression { .member(self, name) }

    /// `self(args)`
    public func call(_ arguments: Argument...) -> Expression { .call(self, arguments) }

    /// A string literal, escaped when rendered: `"text"`.
    public static func string(_ value: String) -> Expression { .literal(.string(value)) }
    /// An integer literal in decimal.
    public static func int(_ value: Int) -> Expression { .literal(.int(value)) }
    /// `true` or `false`.
    public static func bool(_ value: Bool) -> Expression { .literal(.bool(value)) }
    /// `nil`.
    public static let `nil` = Expression.literal(.nil)
    /// `self`.
    public static let `self` = Expression.identifier("self")
}

/// One argument of a call: `label: value`, or just `value`.
public struct Argument: Sendable, Equatable {
    /// The argument label; nil for an unlabeled argument.
    public var label: String?
    /// The argument's value.
    public var value: Expression

    /// An argument with an optional label: `Argument("errors", .inOut(.identifier("errors")))`.
    public init(_ label: String?, _ value: Expression) {
        self.label = label
        self.value = value
    }

    /// An argument without a label.
    public static func unlabeled(_ value: Expression) -> Argument { Argument(nil, value) }
}

/// A closure literal. The renderer writes it on one line, its statements
/// joined with `;`, so generated closures stay one or two statements long.
public struct Closure: Sendable, Equatable {
    /// Parameter names written before `in`; empty for none (`$0` may be used).
    public var parameters: [String]
    /// The statements, in order.
    public var body: [Statement]

    /// A closure taking `parameters` with `body`.
    public init(parameters: [String] = [], body: [Statement]) {
        self.parameters = parameters
        self.body = body
    }
}

/// A literal value in generated code.
public enum Literal: Sendable, Equatable {
    /// A string literal; the renderer escapes `\`, `"`, control characters
    /// and newlines, so any text is safe.
    case string(String)
    /// An integer literal in decimal.
    case int(Int)
    /// A number exactly as the spec wrote it (`1e3`, `0.25`).
    case number(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `nil`.
    case `nil`
}

/// A statement in a generated function, initializer or closure body.
public indirect enum Statement: Sendable, Equatable {
    /// An expression on a line of its own (a call, an assignment written as
    /// a `binary` with `=`).
    case expression(Expression)
    /// `let name: Type = value`
    case binding(VariableDeclaration.Kind, String, TypeName?, Expression?)
    /// `guard conditions else { elseBody }`; a lone `return` stays on the
    /// guard's line.
    case guardStatement([Condition], elseBody: [Statement])
    /// `if conditions { body }`, with `else { elseBody }` when that is not nil.
    case ifStatement([Condition], body: [Statement], elseBody: [Statement]?)
    /// `switch subject { cases }`; an empty case body is written `break`.
    case switchStatement(Expression, [SwitchCase])
    /// `for pattern in sequence { body }`; the pattern is written as given
    /// (`(index, item)`).
    case forIn(pattern: String, sequence: Expression, body: [Statement])
    /// `do { body } catch { handler }`: one catch-all clause, whose `error`
    /// has the body's thrown type when it throws only one (typed throws).
    case doCatch(body: [Statement], handler: [Statement])
    /// `return`, or `return value`.
    case returnStatement(Expression?)
    /// `throw value`.
    case throwStatement(Expression)
    /// `// text`, to say why in generated code.
    case comment(String)
    /// A local declaration (a nested function or type) in a body.
    case declaration(Declaration)
}

/// One condition of an `if` or `guard`; several are joined with commas.
public enum Condition: Sendable, Equatable {
    /// A Boolean expression: `errors.isEmpty`.
    case boolean(Expression)
    /// `let name = value`, or `let name` (shorthand) when value is nil.
    case optionalBinding(String, Expression?)
    /// `case pattern = value`
    case casePattern(Expression, Expression)
}

/// One `case` of a `switch` statement, or its `default`.
public struct SwitchCase: Sendable, Equatable {
    /// nil: `default`.
    public var patterns: [Expression]?
    /// The statements run for a match; empty writes `break`.
    public var body: [Statement]

    /// A case matching any of `patterns` (nil for `default`).
    public init(patterns: [Expression]?, body: [Statement]) {
        self.patterns = patterns
        self.body = body
    }
}
