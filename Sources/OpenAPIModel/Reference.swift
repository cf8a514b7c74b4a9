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
    /// `description` written beside the `$ref` (OpenAPI 3.1), replacing the
    /// target's own where one is shown; nil when not written.
    public let description: String?
    /// `summary` written beside the `$ref` (OpenAPI 3.1), replacing the
    /// target's own where one is shown; nil when not written.
    public let summary: String?

    /// A reference to the component `name` of `kind`, written at `source`.
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
///
/// A reference is resolved by looking its name up in the matching
/// ``Components`` map, with ``OrderedDictionary/resolve(_:)`` when the entry
/// may itself be a reference:
///
/// ```swift
/// switch parameter {
/// case .value(let parameter): use(parameter)
/// case .reference(let reference):
///     if let parameter: Parameter = document.components.parameters.resolve(reference.name) { use(parameter) }
/// }
/// ```
public indirect enum Referenceable<Value>: Sendable where Value: Sendable {
    /// `$ref: '#/components/<kind>/<name>'`, to be looked up in `components`.
    case reference(Reference)
    /// The object written in place.
    case value(Value)

    /// The reference, when this is one; nil for an object written in place.
    public var reference: Reference? {
        if case .reference(let reference) = self { return reference }
        return nil
    }

    /// The object written in place; nil for a reference (which this does
    /// not resolve).
    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

/// The sections of `components` a `$ref` can point into.
public enum ComponentKind: String, Sendable, Hashable, CaseIterable {
    /// `components/schemas`.
    case schemas
    /// `components/responses`.
    case responses
    /// `components/parameters`.
    case parameters
    /// `components/examples` (read for references, not kept in the model).
    case examples
    /// `components/requestBodies`.
    case requestBodies
    /// `components/headers`.
    case headers
    /// `components/securitySchemes`.
    case securitySchemes
    /// `components/links` (read for references, not kept in the model).
    case links
    /// `components/callbacks` (read for references, not kept in the model).
    case callbacks
    /// `components/pathItems` (OpenAPI 3.1).
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
