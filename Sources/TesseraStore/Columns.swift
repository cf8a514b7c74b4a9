import Foundation

/// `columns` ("a, b") with each prefixed by `alias` ("t.a, t.b").
package func qualify(_ columns: String, _ alias: String) -> String {
    columns.split(separator: ",").map { "\(alias)." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
}
