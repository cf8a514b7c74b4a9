import GeneratorDiagnostics
import OpenAPIModel
import YAMLLoader

/// `$ref` resolution, wherever a reference may stand.
///
/// A reference is a file (empty: the file the `$ref` is written in) and a JSON
/// pointer into it. `#/components/<kind>/<name>` of the root document stays as
/// it is. Anything else (an object in another file, such as
/// `../common/Key.yaml`, or a pointer elsewhere in the root) is *bundled*: built
/// once, from the file it lives in, and added to the root's `components` under
/// a name derived from the pointer or the file name. The model that comes out
/// is therefore self-contained: every `Reference` names a component.
///
/// Objects are registered before they are built, so recursive schemas and
/// reference cycles end; chains of references inside references are bounded.
extension ModelBuilder {
    /// Where a `$ref` string leads.
    struct ReferenceTarget {
        /// The display path of the target file.
        var path: String
        var canonicalPath: String
        var pointer: [String]
        var text: String
    }

    /// Parses the `$ref` string of `refNode` relative to the file it is in.
    func target(of refNode: YAMLNode) -> ReferenceTarget? {
        guard let text = refNode.scalar?.text, refNode.scalar?.isString == true else {
            diagnostics.error("'$ref' must be a string, not \(refNode.kindDescription)", at: refNode.location)
            return nil
        }
        let (filePart, fragment): (Substring, Substring) = {
            if let hash = text.firstIndex(of: "#") {
                return (text[..<hash], text[text.index(after: hash)...])
            }
            return (text[...], "")
        }()
        if filePart.contains("://") {
            diagnostics.error("remote reference '\(text)' is not supported; only local and relative-file references are", at: refNode.location)
            return nil
        }
        guard let pointer = JSONPointer.tokens(String(fragment)) else {
            diagnostics.error("reference '\(text)' must use a JSON pointer after '#' (such as '#/components/schemas/Name'); named anchors are not supported", at: refNode.location)
            return nil
        }
        let referrer = refNode.location.file
        if filePart.isEmpty {
            // The common case: a pointer into the file the $ref is written in.
            return ReferenceTarget(path: referrer.path, canonicalPath: canonicalPath(of: referrer), pointer: pointer, text: text)
        }
        let path = SpecFiles.join(referrer: referrer.path, relative: JSONPointer.percentDecode(String(filePart)))
        return ReferenceTarget(path: path, canonicalPath: files.canonicalPath(path), pointer: pointer, text: text)
    }

    /// A file's canonical path, computed once per file.
    private func canonicalPath(of file: SourceFile) -> String {
        if let known = canonicalPaths[file] { return known }
        let path = files.canonicalPath(file.path)
        canonicalPaths[file] = path
        return path
    }

    /// The node a target points to, loading its file when needed.
    func node(at target: ReferenceTarget, refNode: YAMLNode) -> YAMLNode? {
        let fileRoot: YAMLNode
        if target.canonicalPath == rootCanonicalPath {
            fileRoot = rootNode
        } else {
            guard let loaded = files.file(at: target.path, reference: refNode.location, diagnostics: &diagnostics) else { return nil }
            fileRoot = loaded.root
        }
        guard let node = fileRoot.resolve(pointer: target.pointer) else {
            diagnostics.error("unresolved reference '\(target.text)': \(target.pointer.isEmpty ? "the file" : "'\(target.path)'") has nothing at '#/\(target.pointer.map(JSONPointer.escape).joined(separator: "/"))'", at: refNode.location)
            return nil
        }
        return node
    }

    /// Resolves the `$ref` in `node` to a component of `kind`, bundling it
    /// when it is not already one. `build` makes the object from its node.
    func reference<Value>(
        in node: YAMLNode,
        refNode: YAMLNode,
        kind: ComponentKind,
        section: WritableKeyPath<Components, OrderedDictionary<Referenceable<Value>>>,
        build: (YAMLNode) -> Referenceable<Value>?
    ) -> Reference? {
        guard let target = target(of: refNode) else { return nil }
        let description = node["description"]?.scalar?.text
        let summary = node["summary"]?.scalar?.text
        func made(_ name: String) -> Reference {
            Reference(kind: kind, name: name, source: refNode.location, description: description, summary: summary)
        }

        // A root component of the expected kind: keep the reference as written.
        if target.canonicalPath == rootCanonicalPath, target.pointer.count == 3,
           target.pointer[0] == "components", target.pointer[1] == kind.rawValue {
            guard rootNode.resolve(pointer: target.pointer) != nil else {
                diagnostics.error("unresolved reference '\(target.text)': there is no \(kind.singular) named '\(target.pointer[2])' in components.\(kind.rawValue)", at: refNode.location)
                return nil
            }
            return made(target.pointer[2])
        }

        let key = target.canonicalPath + "#/" + target.pointer.map(JSONPointer.escape).joined(separator: "/")
        if let existing = bundled[key] {
            return made(existing.name)
        }
        if unbuildable.contains(key) { return nil }
        guard let targetNode = self.node(at: target, refNode: refNode) else { return nil }
        guard resolutionDepth < Self.maxResolutionDepth else {
            diagnostics.error("references nest more than \(Self.maxResolutionDepth) deep here; giving up on '\(target.text)'", at: refNode.location)
            return nil
        }
        guard let height = enterReference(to: targetNode, refNode: refNode, text: target.text) else { return nil }
        let name = uniqueName(kind: kind, preferred: preferredName(for: target))
        let reference = made(name)
        bundled[key] = reference
        // Stored once built, so a bundled object follows those it depends on.
        resolutionDepth += 1
        let value = build(targetNode)
        resolutionDepth -= 1
        referencedHeight -= height
        guard let value else {
            // Already reported; later references to it stay unresolved quietly.
            bundled[key] = nil
            unbuildable.insert(key)
            return nil
        }
        components[keyPath: section][name] = value
        return reference
    }

    /// Building an object reached through a `$ref` recurses into it while
    /// the objects around the `$ref` are still being built. Each document is
    /// at most `maxDepth` levels deep (the loader's limit), but a chain of
    /// references to deep objects would recurse as deep as all of them
    /// together and overflow the stack: the objects being built through
    /// references at once may hold `maxDepth` levels between them.
    /// Returns the target's height, added to `referencedHeight` (the caller
    /// takes it off when done), or nil after reporting the `$ref`.
    func enterReference(to targetNode: YAMLNode, refNode: YAMLNode, text: String) -> Int? {
        let height = height(of: targetNode)
        let limit = files.limits.maxDepth
        guard referencedHeight + height <= limit else {
            diagnostics.error("references nest more than \(limit) levels deep here (counting the levels inside the objects they lead to); giving up on '\(text)'", at: refNode.location)
            return nil
        }
        referencedHeight += height
        return height
    }

    /// How many levels of collections `node` holds (0 for a scalar).
    /// Recursion is bounded by the loader's depth limit, which counts aliases;
    /// large subtrees are measured once (aliases and pointers share them),
    /// small ones again when met again, which costs less than remembering.
    func height(of node: YAMLNode) -> Int {
        let remembered = node.expandedSize > 64
        if remembered, let known = heights[ObjectIdentifier(node)] { return known }
        var height = 0
        switch node.content {
        case .scalar:
            return 0
        case .sequence(let items):
            for item in items { height = max(height, self.height(of: item)) }
        case .mapping(let entries):
            for entry in entries { height = max(height, self.height(of: entry.key), self.height(of: entry.value)) }
        }
        if remembered { heights[ObjectIdentifier(node)] = height + 1 }
        return height + 1
    }

    /// A component name for a bundled object: the pointer's last token, or
    /// the file name without its extension.
    private func preferredName(for target: ReferenceTarget) -> String {
        if let last = target.pointer.last, !last.isEmpty {
            return last
        }
        var name = Substring(target.path.split(separator: "/").last ?? "Component")
        for suffix in [".yaml", ".yml", ".json"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
        }
        return name.isEmpty ? "Component" : String(name)
    }

    /// `preferred`, or `preferred_2`, `_3`... when taken in that section.
    func uniqueName(kind: ComponentKind, preferred: String) -> String {
        var taken = takenNames[kind] ?? []
        var name = preferred
        var counter = 2
        while taken.contains(name) {
            name = "\(preferred)_\(counter)"
            counter += 1
        }
        taken.insert(name)
        takenNames[kind] = taken
        return name
    }

    /// Reserves the names the root document declares itself, before anything
    /// is bundled, so a bundled object never takes a root component's name.
    func reserveRootComponentNames() {
        guard let components = rootNode["components"]?.mapping else { return }
        for entry in components {
            guard let kindText = entry.key.scalar?.text, let kind = ComponentKind(rawValue: kindText),
                  let section = entry.value.mapping else { continue }
            takenNames[kind, default: []].formUnion(section.compactMap { $0.key.scalar?.text })
        }
    }
}

extension ComponentKind {
    /// "schema", "parameter", ... for messages.
    public var singular: String {
        switch self {
        case .schemas: "schema"
        case .responses: "response"
        case .parameters: "parameter"
        case .examples: "example"
        case .requestBodies: "request body"
        case .headers: "header"
        case .securitySchemes: "security scheme"
        case .links: "link"
        case .callbacks: "callback"
        case .pathItems: "path item"
        }
    }
}
