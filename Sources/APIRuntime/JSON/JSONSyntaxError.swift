/// Why a request body is not JSON, and where.
///
/// `message` is written for the person who sent the body and already names
/// the place, e.g. `unexpected character '}' at line 1, column 12`, so it can
/// go straight into a 400 response.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset (0-based) of the offending byte; the input's length when
    /// the input ended too early.
    public let offset: Int
    /// 1-based line of `offset` (lines end at `\n`, `\r\n` or a lone `\r`).
    public let line: Int
    /// 1-based column of `offset`, counted in Unicode scalars.
    public let column: Int
    /// The problem and its place, e.g. `duplicate key 'name' at line 3, column 5`.
    public let message: String
    /// The problem alone, without its place, e.g. `duplicate key 'name'`.
    public let reason: String

    /// An error at `offset` (line `line`, column `column`, both 1-based) whose
    /// ``message`` is `reason` followed by ` at line L, column C`.
    public init(offset: Int, line: Int, column: Int, reason: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.reason = reason
        self.message = "\(reason) at line \(line), column \(column)"
    }

    /// The ``message``.
    public var description: String { message }
}
