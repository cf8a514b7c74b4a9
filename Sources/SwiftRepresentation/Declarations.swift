/// A structured description of the Swift the generator writes: what is
/// declared, not how it is spelled. The translator builds these values; the
/// renderer (`SwiftRenderer`) alone decides indentation, punctuation and
/// comment layout, so translation logic never concatenates Swift source.

/// One generated Swift file.
public struct SwiftFile: Sendable, Equatable {
    public var name: String
    /// Comment lines at the top (without `//`).
    public var header: [String]
    public var imports: [String]
    public var declarations: [Declaration]

    public init(name: String, header: [String] = [], imports: [String] = [], declarations: [Declaration]) {
        self.name = name
        self.header = header
        self.imports = imports
        self.declarations = declarations
    }
}

public enum AccessModifier: String, Sendable, Equatable {
    case `public`, `internal`, `private`, `fileprivate`
}

/// A declaration, with its doc comment.
public indirect enum Declaration: Sendable, Equatable {
    case structure(StructDeclaration)
    case enumeration(EnumDeclaration)
    case enumCase(EnumCaseDeclaration)
    case extensionBlock(ExtensionDeclaration)
    case protocolBlock(ProtocolDeclaration)
    case typeAlias(TypeAliasDeclaration)
    case variable(VariableDeclaration)
    case function(FunctionDeclaration)
    /// `associatedtype Name: Constraint` in a protocol.
    case associatedType(name: String, constraint: String?)
    /// `// MARK: - text`, to group a long file.
    case mark(String)
}

public struct StructDeclaration: Sendable, Equatable {
    public var doc: String?
    public var access: AccessModifier
    public var name: String
    public var conformances: [String]
    public var members: [Declaration]

    public init(doc: String? = nil, access: AccessModifier = .public, name: String, conformances: [String] = [], members: [Declaration] = []) {
        self.doc = doc
        self.access = access
        self.name = name
        self.conformances = conformances
        self.members = members
    }
}

public struct EnumDeclaration: Sendable, Equatable {
    public var doc: String?
    public var access: AccessModifier
    public var isIndirect: Bool
    public var name: String
    /// Raw type first (`String`), then protocols.
    public var conformances: [String]
    public var members: [Declaration]

    public init(doc: String? = nil, access: AccessModifier = .public, isIndirect: Bool = false, name: String, conformances: [String] = [], members: [Declaration] = []) {
        self.doc = doc
        self.access = access
        self.isIndirect = isIndirect
        self.name = name
        self.conformances = conformances
        self.members = members
    }
}

public struct EnumCaseDeclaration: Sendable, Equatable {
    /// `label: Type = default` in a case's payload.
    public struct AssociatedValue: Sendable, Equatable {
        public var label: String?
        public var type: TypeName
        public var defaultValue: Expression?

        public init(label: String? = nil, type: TypeName, defaultValue: Expression? = nil) {
            self.label = label
            self.type = type
            self.defaultValue = defaultValue
        }
    }

    public var doc: String?
    public var name: String
    public var rawValue: Literal?
    public var associatedValues: [AssociatedValue]

    public init(doc: String? = nil, name: String, rawValue: Literal? = nil, associatedValues: [AssociatedValue] = []) {
        self.doc = doc
        self.name = name
        self.rawValue = rawValue
        self.associatedValues = associatedValues
    }
}

public struct ExtensionDeclaration: Sendable, Equatable {
    public var doc: String?
    public var access: AccessModifier?
    public var extendedType: String
    public var conformances: [String]
    public var members: [Declaration]

    public init(doc: String? = nil, access: AccessModifier? = nil, extendedType: String, conformances: [String] = [], members: [Declaration] = []) {
        self.doc = doc
        self.access = access
        self.extendedType = extendedType
        self.conformances = conformances
        self.members = members
    }
}

public struct ProtocolDeclaration: Sendable, Equatable {
    public var doc: String?
    public var access: AccessModifier
    public var name: String
    public var conformances: [String]
    /// Requirements: functions without bodies, variables without values.
    public var members: [Declaration]

    public init(doc: String? = nil, access: AccessModifier = .public, name: String, conformances: [String] = [], members: [Declaration] = []) {
        self.doc = doc
        self.access = access
        self.name = name
        self.conformances = conformances
        self.members = members
    }
}

public struct TypeAliasDeclaration: Sendable, Equatable {
    public var doc: String?
    public var access: AccessModifier
    public var name: String
    public var type: TypeName

    public init(doc: String? = nil, access: AccessModifier = .public, name: String, type: TypeName) {
        self.doc = doc
        self.access = access
        self.name = name
        self.type = type
    }
}

public struct VariableDeclaration: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case `let`, `var` }

    public var doc: String?
    public var access: AccessModifier?
    /// `@Indirect`, `nonisolated(unsafe)`, ...
    public var attributes: [String]
    public var isStatic: Bool
    public var kind: Kind
    public var name: String
    public var type: TypeName?
    public var value: Expression?
    /// A computed property's getter; a protocol requirement when empty and
    /// `isRequirement` is set.
    public var getter: [Statement]?

    public init(doc: String? = nil, access: AccessModifier? = .public, attributes: [String] = [], isStatic: Bool = false, kind: Kind = .var, name: String, type: TypeName? = nil, value: Expression? = nil, getter: [Statement]? = nil) {
        self.doc = doc
        self.access = access
        self.attributes = attributes
        self.isStatic = isStatic
        self.kind = kind
        self.name = name
        self.type = type
        self.value = value
        self.getter = getter
    }
}

public struct FunctionDeclaration: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case function(name: String)
        case initializer(failable: Bool)
    }

    public var doc: String?
    public var access: AccessModifier?
    public var attributes: [String]
    public var isStatic: Bool
    public var isMutating: Bool
    public var kind: Kind
    /// `<Authenticator: APIAuthenticator>`
    public var genericParameters: [String]
    public var parameters: [FunctionParameter]
    public var isAsync: Bool
    /// nil: does not throw; "" : `throws`; a type name: `throws(Type)`.
    public var throwsType: String?
    public var returnType: TypeName?
    /// `where Authenticator.Principal == Principal`
    public var whereClause: [String]
    /// nil for a protocol requirement.
    public var body: [Statement]?

    public init(doc: String? = nil, access: AccessModifier? = .public, attributes: [String] = [], isStatic: Bool = false, isMutating: Bool = false, kind: Kind, genericParameters: [String] = [], parameters: [FunctionParameter] = [], isAsync: Bool = false, throwsType: String? = nil, returnType: TypeName? = nil, whereClause: [String] = [], body: [Statement]?) {
        self.doc = doc
        self.access = access
        self.attributes = attributes
        self.isStatic = isStatic
        self.isMutating = isMutating
        self.kind = kind
        self.genericParameters = genericParameters
        self.whereClause = whereClause
        self.parameters = parameters
        self.isAsync = isAsync
        self.throwsType = throwsType
        self.returnType = returnType
        self.body = body
    }
}

public struct FunctionParameter: Sendable, Equatable {
    /// The argument label; nil writes `_`; equal to `name` writes the name once.
    public var label: String?
    public var name: String
    public var type: TypeName
    public var isInout: Bool
    public var defaultValue: Expression?

    public init(label: String?, name: String, type: TypeName, isInout: Bool = false, defaultValue: Expression? = nil) {
        self.label = label
        self.name = name
        self.type = type
        self.isInout = isInout
        self.defaultValue = defaultValue
    }
}

/// A type as written in a declaration.
public indirect enum TypeName: Sendable, Equatable, Hashable {
    /// `String`, `Schemas.Token`, `Self`.
    case named(String)
    case optional(TypeName)
    case array(TypeName)
    case dictionary(key: TypeName, value: TypeName)
    /// `Result<A, B>`.
    case generic(String, [TypeName])
    /// `T.Type`.
    case metatype(TypeName)

    /// The optional form, without doubling an existing optional.
    public var asOptional: TypeName {
        if case .optional = self { return self }
        return .optional(self)
    }

    /// The type without its outer optional.
    public var nonOptional: TypeName {
        if case .optional(let wrapped) = self { return wrapped }
        return self
    }
}
