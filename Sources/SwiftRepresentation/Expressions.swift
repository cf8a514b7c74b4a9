/// Expressions and statements for function bodies, structured so the
/// renderer owns every brace, comma and escape.
public indirect enum Expression: Sendable, Equatable {
    case identifier(String)
    case literal(Literal)
    /// `base.name`, or `.name` when the base is nil (implicit member).
    case member(Expression?, String)
    /// `callee(label: value, ...)`, with an optional trailing closure.
    case call(Expression, [Argument], trailingClosure: Closure? = nil)
    /// `&value`.
    case inOut(Expression)
    case tryExpression(Expression)
    case awaitExpression(Expression)
    /// `lhs op rhs`.
    case binary(Expression, String, Expression)
    /// `!value`.
    case not(Expression)
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

    public static func string(_ value: String) -> Expression { .literal(.string(value)) }
    public static func int(_ value: Int) -> Expression { .literal(.int(value)) }
    public static func bool(_ value: Bool) -> Expression { .literal(.bool(value)) }
    public static let `nil` = Expression.literal(.nil)
    public static let `self` = Expression.identifier("self")
}

public struct Argument: Sendable, Equatable {
    public var label: String?
    public var value: Expression

    public init(_ label: String?, _ value: Expression) {
        self.label = label
        self.value = value
    }

    public static func unlabeled(_ value: Expression) -> Argument { Argument(nil, value) }
}

public struct Closure: Sendable, Equatable {
    public var parameters: [String]
    public var body: [Statement]

    public init(parameters: [String] = [], body: [Statement]) {
        self.parameters = parameters
        self.body = body
    }
}

public enum Literal: Sendable, Equatable {
    case string(String)
    case int(Int)
    /// A number exactly as the spec wrote it (`1e3`, `0.25`).
    case number(String)
    case bool(Bool)
    case `nil`
}

public indirect enum Statement: Sendable, Equatable {
    case expression(Expression)
    /// `let name: Type = value`
    case binding(VariableDeclaration.Kind, String, TypeName?, Expression?)
    case guardStatement([Condition], elseBody: [Statement])
    case ifStatement([Condition], body: [Statement], elseBody: [Statement]?)
    case switchStatement(Expression, [SwitchCase])
    case forIn(pattern: String, sequence: Expression, body: [Statement])
    case returnStatement(Expression?)
    case throwStatement(Expression)
    /// `// text`, to say why in generated code.
    case comment(String)
    case declaration(Declaration)
}

public enum Condition: Sendable, Equatable {
    case boolean(Expression)
    /// `let name = value`, or `let name` (shorthand) when value is nil.
    case optionalBinding(String, Expression?)
    /// `case pattern = value`
    case casePattern(Expression, Expression)
}

public struct SwitchCase: Sendable, Equatable {
    /// nil: `default`.
    public var patterns: [Expression]?
    public var body: [Statement]

    public init(patterns: [Expression]?, body: [Statement]) {
        self.patterns = patterns
        self.body = body
    }
}
