import GeneratorDiagnostics

/// A `$ref`. After parsing, every reference points into the root document's
/// `components` (objects reached in other files, or elsewhere in the root file,
/// are bundled there), so `ref` always reads `#/components/<kind>/<name>`.
public struct Reference: Sendable, Hashable {
    /// The component kind of the target: `schemas`, `parameters`, ...
    public let kind: ComponentKind
    /// The target's name under `components/<kind>`.
    public let name: String
    /// Where the `$ref` was written.
    public let source: SourceLocation
    /// `description` and `summary` written beside the `$ref` (OpenAPI 3.1).
    public let description: String?
    /// `summary` written beside the `$ref` (OpenAPI 3.1).
    public let summary: String?

    /// A reference to `components/<kind>/<name>`, written at `source`.
    public init(kind: ComponentKind, name: String, source: SourceLocation, description: String? = nil, summary: String? = nil) {
        self.kind = kind
        self.name = name
        self.source = source
        self.description = description
        self.summary = summary
    }

    /// The canonical local form, `#/components/schemas/Token`.
    public var ref: String {
        "#/components/\(kind.rawValue)/" + JSONPointer.escape(name)
    }
}

/// Either a `$ref` or the object itself.
public indirect enum Referenceable<Value>: Sendable where Value: Sendable {
    case reference(Reference)
    case value(Value)

    /// The reference, when this is one.
    public var reference: Reference? {
        if case .reference(let reference) = self { return reference }
        return nil
    }

    /// The object, when it is written in place.
    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

/// The sections of `components` a `$ref` can point into.
public enum ComponentKind: String, Sendable, Hashable, CaseIterable {
    case schemas
    case responses
    case parameters
    case examples
    case requestBodies
    case headers
    case securitySchemes
    case links
    case callbacks
    case pathItems
}

extension OrderedDictionary {
    /// The object the entry `name` of a components section finally is,
    /// following entries that are references to other entries; nil when the
    /// chain ends nowhere or goes round in a cycle.
    public func resolve<Target>(_ name: String) -> Target? where Value == Referenceable<Target> {
        var current = name
        for _ in 0...count {
            switch self[current] {
            case .value(let target)?: return target
            case .reference(let next)?: current = next.name
            case nil: return nil
            }
        }
        return nil
    }
}
