import GeneratorDiagnostics
import LocalFiles
import YAMLLoader

/// The files of one (possibly multi-file) spec, each loaded once.
///
/// Files are keyed by their absolute, lexically normalized path; each keeps the
/// display path diagnostics print (the root as given, others joined from the
/// folder of the file that referred to them).
final class SpecFiles {
    struct Loaded {
        let root: YAMLNode
        let file: SourceFile
    }

    private var loaded: [String: Loaded] = [:]
    private var failed: Set<String> = []
    let limits: YAMLTreeLoader.Limits
    /// Relative display paths are relative to the folder the run started in.
    private let workingDirectory = FileIO.currentDirectory()

    init(limits: YAMLTreeLoader.Limits) {
        self.limits = limits
    }

    /// Absolute, normalized form of a display path: the identity of a file.
    func canonicalPath(_ displayPath: String) -> String {
        if displayPath.hasPrefix("/") { return Self.normalize(displayPath) }
        return Self.normalize(workingDirectory + "/" + displayPath)
    }

    /// Removes `.` and resolvable `..` segments without touching the disk.
    static func normalize(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".":
                continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !isAbsolute {
                    parts.append(part)
                }
            default:
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if isAbsolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `relative` as seen from the folder of `referrer` (a display path).
    static func join(referrer: String, relative: String) -> String {
        if relative.hasPrefix("/") { return normalize(relative) }
        guard let slash = referrer.lastIndex(of: "/") else { return normalize(relative) }
        return normalize(referrer[...slash] + relative)
    }

    /// Registers the root, already loaded by the caller.
    func register(_ root: YAMLNode, file: SourceFile) {
        loaded[canonicalPath(file.path)] = Loaded(root: root, file: file)
    }

    /// The file at `displayPath`, loading it on first use. Load problems are
    /// reported at `reference` (the `$ref` that asked for it), once per file.
    func file(at displayPath: String, reference: SourceLocation, diagnostics: inout DiagnosticCollector) -> Loaded? {
        let key = canonicalPath(displayPath)
        if let file = loaded[key] { return file }
        if failed.contains(key) { return nil }
        var fileDiagnostics = DiagnosticCollector()
        do {
            let root = try YAMLTreeLoader.load(contentsOf: displayPath, limits: limits, diagnostics: &fileDiagnostics)
            for diagnostic in fileDiagnostics.diagnostics { diagnostics.emit(diagnostic) }
            let result = Loaded(root: root, file: root.location.file)
            loaded[key] = result
            return result
        } catch {
            failed.insert(key)
            for diagnostic in fileDiagnostics.diagnostics { diagnostics.emit(diagnostic) }
            if error.diagnostic.location == nil {
                diagnostics.error("cannot read '\(displayPath)', referenced here", at: reference)
            } else {
                diagnostics.emit(error.diagnostic)
                diagnostics.emit(.note("'\(displayPath)' is referenced here", at: reference))
            }
            return nil
        }
    }

    var count: Int { loaded.count }

    /// The root node of every file read.
    var roots: [YAMLNode] { loaded.values.map(\.root) }
}

extension YAMLNode {
    /// The node a JSON pointer's tokens lead to, or nil.
    func resolve(pointer tokens: [String]) -> YAMLNode? {
        var node = self
        for token in tokens {
            switch node.content {
            case .mapping:
                guard let next = node[token] else { return nil }
                node = next
            case .sequence(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                node = items[index]
            case .scalar:
                return nil
            }
        }
        return node
    }
}
