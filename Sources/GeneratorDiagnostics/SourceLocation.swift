/// A file the generator read, shared by every location inside it.
///
/// Locations hold a reference to one `SourceFile` instead of a copy of its path,
/// so a node tree of a large spec pays for the path once.
public final class SourceFile: Sendable, CustomStringConvertible {
    /// The path as diagnostics print it: as given on the command line, or joined
    /// from the referring file's folder for files reached through `$ref`.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var description: String { path }
}

/// A position in a source file, 1-based as editors count: the first character
/// of a file is at line 1, column 1. Columns count characters, not bytes.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: SourceFile
    public let line: Int
    public let column: Int

    public init(file: SourceFile, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `path:LINE:COL`, the prefix every diagnostic starts with.
    public var description: String { "\(file.path):\(line):\(column)" }

    public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.file === rhs.file && lhs.line == rhs.line && lhs.column == rhs.column
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(file))
        hasher.combine(line)
        hasher.combine(column)
    }
}
