/// Collects every recoverable problem of one run, so a single run reports
/// all of them rather than stopping at the first. Only problems that make it
/// impossible to go on are thrown (as `FatalDiagnostic`).
///
///     var diagnostics = DiagnosticCollector()
///     diagnostics.error("unknown parameter location 'body'", at: node.location)
///     if diagnostics.hasErrors { exit(1) }
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func emit(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public mutating func error(_ message: String, at location: SourceLocation?, notes: [Diagnostic] = []) {
        emit(.error(message, at: location, notes: notes))
    }

    public mutating func warning(_ message: String, at location: SourceLocation?, notes: [Diagnostic] = []) {
        emit(.warning(message, at: location, notes: notes))
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// Diagnostics ordered by file, line and column (stable for equal
    /// positions), so output does not depend on the order checks ran in.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.location, rhs.element.location)
            switch (a, b) {
            case (nil, nil): return lhs.offset < rhs.offset
            case (nil, _): return true
            case (_, nil): return false
            case let (a?, b?):
                if a.file.path != b.file.path { return a.file.path < b.file.path }
                if a.line != b.line { return a.line < b.line }
                if a.column != b.column { return a.column < b.column }
                return lhs.offset < rhs.offset
            }
        }.map(\.element)
    }
}

/// A problem that stops the run (an unreadable file, a YAML syntax error).
public struct FatalDiagnostic: Error, Sendable, CustomStringConvertible {
    public let diagnostic: Diagnostic

    public init(_ diagnostic: Diagnostic) {
        self.diagnostic = diagnostic
    }

    public var description: String { diagnostic.description }
}
