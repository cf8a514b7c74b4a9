import CLibYAML
import GeneratorDiagnostics

/// Turns libyaml's event stream into nodes, bottom-up, with an explicit stack
/// (no recursion, so depth costs heap, not the thread's stack).
struct TreeBuilder {
    /// A collection still open. A struct mutated in place through `stack[i]`
    /// so appending a child never copies the children gathered so far.
    private struct Frame {
        let isMapping: Bool
        let location: SourceLocation
        let tag: String?
        let anchor: String?
        var items: [YAMLNode] = []
        var entries: [YAMLMappingEntry] = []
        var pendingKey: YAMLNode?
        /// The most levels of collections any child holds, aliases expanded.
        var childHeight = 0
    }

    let file: SourceFile
    let limits: Limits
    var diagnostics = DiagnosticCollector()
    private var stack: [Frame] = []
    private var anchors: [String: YAMLNode] = [:]
    /// How many levels of collections each anchored node holds, aliases
    /// expanded (0 for a scalar): an alias nests all of them where it stands.
    private var anchorHeights: [String: Int] = [:]
    private var root: YAMLNode?
    private var documents = 0

    typealias Limits = YAMLTreeLoader.Limits

    init(file: SourceFile, limits: Limits) {
        self.file = file
        self.limits = limits
    }

    mutating func run(_ input: UnsafeRawBufferPointer) -> Result<YAMLNode, FatalDiagnostic> {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            return .failure(FatalDiagnostic(.error("libyaml could not allocate a parser", at: nil)))
        }
        defer { yaml_parser_delete(parser) }
        let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        // libyaml never reads through a nil pointer when size is 0, but give it a valid one.
        var empty: UInt8 = 0
        withUnsafePointer(to: &empty) { emptyPointer in
            yaml_parser_set_input_string(parser, base ?? emptyPointer, input.count)
        }

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                return .failure(syntaxError(parser.pointee))
            }
            defer { yaml_event_delete(&event) }
            do {
                if try handle(event) { break }
            } catch {
                return .failure(error)
            }
        }
        guard let root else {
            return .failure(FatalDiagnostic(.error("the file holds no YAML document", at: location(line: 0, column: 0))))
        }
        return .success(root)
    }

    /// Handles one event; returns true at the end of the stream.
    private mutating func handle(_ event: yaml_event_t) throws(FatalDiagnostic) -> Bool {
        let here = location(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT, YAML_NO_EVENT:
            return false
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw FatalDiagnostic(.error(
                    "the file holds more than one YAML document; an OpenAPI description must be a single document",
                    at: here
                ))
            }
            return false
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            if let target = anchors[name] {
                // The depth limit counts what an alias stands for, or a chain
                // of aliases to nested anchors would build a tree as deep as
                // it likes out of a small file, and overflow the stack of
                // whatever walks it.
                let height = anchorHeights[name] ?? 0
                if stack.count + height > limits.maxDepth {
                    throw FatalDiagnostic(.error(
                        "nesting deeper than \(limits.maxDepth) levels once alias '*\(name)' is expanded; the document is refused",
                        at: here
                    ))
                }
                try add(target, height: height)
            } else {
                diagnostics.error("alias '*\(name)' refers to no anchor defined before it", at: here)
                try add(YAMLNode(.scalar(YAMLScalar(text: "", style: .plain, value: .null)), at: here))
            }
            return false
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
            let tag = string(scalar.tag)
            let style = Self.style(scalar.style)
            let value = resolve(text: text, style: style, tag: tag, at: here)
            let node = YAMLNode(.scalar(YAMLScalar(text: text, style: style, value: value)), at: here, tag: tag)
            try add(node, anchor: string(scalar.anchor))
            return false
        case YAML_SEQUENCE_START_EVENT:
            try push(at: here)
            let start = event.data.sequence_start
            stack.append(Frame(isMapping: false, location: here, tag: checkedCollectionTag(string(start.tag), at: here), anchor: string(start.anchor)))
            return false
        case YAML_MAPPING_START_EVENT:
            try push(at: here)
            let start = event.data.mapping_start
            stack.append(Frame(isMapping: true, location: here, tag: checkedCollectionTag(string(start.tag), at: here), anchor: string(start.anchor)))
            return false
        case YAML_SEQUENCE_END_EVENT:
            guard let frame = stack.popLast(), !frame.isMapping else {
                throw FatalDiagnostic(.error("unbalanced sequence end", at: here))
            }
            try add(YAMLNode(.sequence(frame.items), at: frame.location, tag: frame.tag), height: frame.childHeight + 1, anchor: frame.anchor)
            return false
        case YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast(), frame.isMapping else {
                throw FatalDiagnostic(.error("unbalanced mapping end", at: here))
            }
            var entries = applyMergeKeys(frame.entries)
            if reportDuplicateKeys(entries.explicit) {
                entries.all = firstOccurrences(entries.all)
            }
            try add(YAMLNode(.mapping(entries.all), at: frame.location, tag: frame.tag), height: frame.childHeight + 1, anchor: frame.anchor)
            return false
        default:
            return false
        }
    }

    private mutating func push(at location: SourceLocation) throws(FatalDiagnostic) {
        if stack.count >= limits.maxDepth {
            throw FatalDiagnostic(.error(
                "nesting deeper than \(limits.maxDepth) levels; the document is refused",
                at: location
            ))
        }
    }

    /// Attaches a finished node to its parent (or makes it the root);
    /// `height` is how many levels of collections it holds (0 for a scalar).
    private mutating func add(_ node: YAMLNode, height: Int = 0, anchor: String? = nil) throws(FatalDiagnostic) {
        if node.expandedSize > limits.maxExpandedNodes {
            throw FatalDiagnostic(.error(
                "aliases expand this document past \(limits.maxExpandedNodes) nodes; refusing it as an alias bomb",
                at: node.location
            ))
        }
        if let anchor {
            anchors[anchor] = node
            anchorHeights[anchor] = height
        }
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return
        }
        stack[top].childHeight = max(stack[top].childHeight, height)
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].entries.append(YAMLMappingEntry(key: key, value: node))
            stack[top].pendingKey = nil
        } else {
            stack[top].pendingKey = node
        }
    }

    // MARK: Merge keys and duplicates

    /// Replaces each `<<: mapping` (or `<<: [mappings]`) entry with the merged
    /// mappings' entries whose keys the mapping does not set itself; earlier
    /// mappings in a list win over later ones. Returns the explicit entries
    /// (for duplicate detection) and the result.
    private mutating func applyMergeKeys(_ entries: [YAMLMappingEntry]) -> (explicit: [YAMLMappingEntry], all: [YAMLMappingEntry]) {
        guard entries.contains(where: { isMergeKey($0.key) }) else { return (entries, entries) }
        let explicit = entries.filter { !isMergeKey($0.key) }
        var taken = Set(explicit.compactMap { $0.key.scalar?.text })
        var result: [YAMLMappingEntry] = []
        for entry in entries {
            guard isMergeKey(entry.key) else {
                result.append(entry)
                continue
            }
            let sources: [YAMLNode]
            switch entry.value.content {
            case .mapping: sources = [entry.value]
            case .sequence(let items): sources = items
            case .scalar: sources = [entry.value]
            }
            for source in sources {
                guard let sourceEntries = source.mapping else {
                    diagnostics.error("a merge key '<<' takes a mapping or a list of mappings, not \(source.kindDescription)", at: source.location)
                    continue
                }
                for merged in sourceEntries {
                    let key = merged.key.scalar?.text
                    if let key, taken.contains(key) { continue }
                    if let key { taken.insert(key) }
                    result.append(merged)
                }
            }
        }
        return (explicit, result)
    }

    private func isMergeKey(_ node: YAMLNode) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain, scalar.text == "<<" else { return false }
        return node.tag == nil || node.tag == "tag:yaml.org,2002:merge"
    }

    /// Reports each repeated scalar key at its repetition, with a note at the
    /// first; returns whether there was any.
    private mutating func reportDuplicateKeys(_ entries: [YAMLMappingEntry]) -> Bool {
        guard entries.count > 1 else { return false }
        // Most mappings are small: compare pairwise before paying for hashing.
        if entries.count <= 8 {
            var any = false
            for i in 1..<entries.count {
                guard let key = entries[i].key.scalar?.text else { continue }
                if entries[..<i].contains(where: { $0.key.scalar?.text == key }) {
                    any = true
                    break
                }
            }
            if !any { return false }
        }
        var found = false
        var seen: [String: YAMLNode] = [:]
        seen.reserveCapacity(entries.count)
        for entry in entries {
            guard let key = entry.key.scalar?.text else { continue }
            if let first = seen[key] {
                found = true
                diagnostics.error(
                    "duplicate key '\(key)' in a mapping (first at line \(first.location.line))",
                    at: entry.key.location,
                    notes: [.note("'\(key)' first appears here", at: first.location)]
                )
            } else {
                seen[key] = entry.key
            }
        }
        return found
    }

    /// The entries without repeated keys, so a tree never holds two values
    /// for one key: the first wins, as in most YAML and JSON readers.
    private func firstOccurrences(_ entries: [YAMLMappingEntry]) -> [YAMLMappingEntry] {
        var seen = Set<String>()
        return entries.filter { entry in
            guard let key = entry.key.scalar?.text else { return true }
            return seen.insert(key).inserted
        }
    }

    // MARK: Scalars and tags

    private mutating func resolve(text: String, style: YAMLScalar.Style, tag: String?, at location: SourceLocation) -> YAMLScalar.Value {
        guard let tag, tag != "!" else {
            return style == .plain && tag == nil ? CoreSchema.resolvePlain(text) : .string
        }
        switch tag {
        case "tag:yaml.org,2002:str":
            return .string
        case "tag:yaml.org,2002:null":
            return .null
        case "tag:yaml.org,2002:bool":
            switch CoreSchema.resolvePlain(text) {
            case .bool(let value): return .bool(value)
            default:
                diagnostics.error("'\(text)' is not a boolean (true or false)", at: location)
                return .string
            }
        case "tag:yaml.org,2002:int":
            if case .int(let value) = CoreSchema.resolveNumber(text) { return .int(value) }
            diagnostics.error("'\(text)' is not an integer", at: location)
            return .string
        case "tag:yaml.org,2002:float":
            switch CoreSchema.resolveNumber(text) {
            case .int(let value): return .float(Double(value))
            case .float(let value): return .float(value)
            default:
                diagnostics.error("'\(text)' is not a number", at: location)
                return .string
            }
        default:
            diagnostics.warning("unsupported YAML tag '\(tag)'; the value is read as a string", at: location)
            return .string
        }
    }

    private mutating func checkedCollectionTag(_ tag: String?, at location: SourceLocation) -> String? {
        guard let tag, tag != "!", tag != "tag:yaml.org,2002:map", tag != "tag:yaml.org,2002:seq" else { return tag }
        diagnostics.warning("unsupported YAML tag '\(tag)'; the collection is read as plain YAML", at: location)
        return tag
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    // MARK: Locations and errors

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        location(line: mark.line, column: mark.column)
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line + 1, column: column + 1)
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    /// libyaml's own message, placed at its problem mark, with its context.
    private func syntaxError(_ parser: yaml_parser_t) -> FatalDiagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = "YAML syntax error: \(problem)"
        if parser.problem_offset > 0 || parser.problem_value != -1, parser.error == YAML_READER_ERROR {
            message += " (byte offset \(parser.problem_offset))"
        }
        var notes: [Diagnostic] = []
        if let context = parser.context.map({ String(cString: $0) }) {
            notes.append(.note(context, at: location(parser.context_mark)))
        }
        let mark = parser.error == YAML_READER_ERROR
            ? readerErrorLocation(parser)
            : location(parser.problem_mark)
        return FatalDiagnostic(.error(message, at: mark, notes: notes))
    }

    /// Reader errors (bad UTF-8, control characters) carry only a byte offset;
    /// the parser's current mark is the closest line and column.
    private func readerErrorLocation(_ parser: yaml_parser_t) -> SourceLocation {
        location(parser.mark)
    }
}
