/// A path template (`/tokens/{token_id}/regenerate`) as its pieces: the
/// literal text between parameters, and each `{name}`. The server's routes
/// read parameters by position in it; the client writes the path from it.
enum PathTemplate {
    enum Piece: Equatable {
        case literal(String)
        case parameter(String)
    }

    /// The pieces in order; an unclosed `{` drops the rest (the parser has
    /// already refused such a template).
    static func pieces(_ path: String) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var name: String?
        for character in path {
            if character == "{" {
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                name = ""
            } else if character == "}", let current = name {
                pieces.append(.parameter(current))
                name = nil
            } else if name != nil {
                name?.append(character)
            } else {
                literal.append(character)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    /// The `{names}` of a path template, in order.
    static func names(_ path: String) -> [String] {
        pieces(path).compactMap { piece in
            if case .parameter(let name) = piece { return name }
            return nil
        }
    }
}
