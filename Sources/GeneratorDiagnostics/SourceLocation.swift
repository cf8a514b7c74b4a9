import Synchronization

/// A file the generator read, named by a small id into a process-wide table.
///
/// Every node of a YAML tree and every object of the model carries a
/// location; keeping the file as a plain integer (rather than a reference or
/// a copy of its path) makes locations trivially copyable, so building and
/// dropping a large spec's tree costs no reference counting for them.
public struct SourceFile: Sendable, Hashable, CustomStringConvertible {
    /// Registers `path` (once per distinct path) and names it.
    public init(path: String) {
        id = SourceFileTable.shared.id(for: path)
    }

    private let id: UInt32

    /// The path as diagnostics print it: as given on the command line, or joined
    /// from the referring file's folder for files reached through `$ref`.
    public var path: String { SourceFileTable.shared.path(for: id) }

    public var description: String { path }
}

/// The process-wide table behind `SourceFile`.
private final class SourceFileTable: Sendable {
    static let shared = SourceFileTable()

    private struct State {
        var paths: [String] = []
        var ids: [String: UInt32] = [:]
    }

    private let state = Mutex(State())

    func id(for path: String) -> UInt32 {
        state.withLock { state in
            if let id = state.ids[path] { return id }
            let id = UInt32(state.paths.count)
            state.paths.append(path)
            state.ids[path] = id
            return id
        }
    }

    func path(for id: UInt32) -> String {
        state.withLock { $0.paths[Int(id)] }
    }
}

/// A position in a source file, 1-based as editors count: the first character
/// of a file is at line 1, column 1. Columns count characters, not bytes.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: SourceFile
    private let storedLine: UInt32
    private let storedColumn: UInt32

    public init(file: SourceFile, line: Int, column: Int) {
        self.file = file
        self.storedLine = UInt32(clamping: line)
        self.storedColumn = UInt32(clamping: column)
    }

    public var line: Int { Int(storedLine) }
    public var column: Int { Int(storedColumn) }

    /// `path:LINE:COL`, the prefix every diagnostic starts with.
    public var description: String { "\(file.path):\(line):\(column)" }
}
