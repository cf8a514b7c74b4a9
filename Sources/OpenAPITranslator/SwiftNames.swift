/// Swift identifiers for names from a spec: any JSON key, schema name or
/// enum value becomes a valid, readable identifier, and the original text is
/// kept wherever it travels on the wire.
enum SwiftNames {
    /// Swift's keywords and the few names that need backticks as identifiers.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import",
        "init", "inout", "internal", "let", "open", "operator", "private", "precedencegroup",
        "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias", "var",
        "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
        "try", "Type", "Protocol", "some", "any", "borrowing", "consuming",
    ]

    /// Member names that backticks cannot rescue (`self.self` is not a
    /// property access); a property with one of these names gets a suffix.
    static let unusableMemberNames: Set<String> = ["self", "Self", "Type", "Protocol", "init", "deinit", "subscript"]

    /// Type names that generated code uses unqualified; a schema may not take one.
    static let reservedTypeNames: Set<String> = [
        "String", "Int", "Int32", "Int64", "Double", "Float", "Bool", "Date", "UUID", "JSON",
        "JSONObject", "JSONWriter", "FieldPath", "ValidationErrors", "StringRules", "IntegerRules",
        "NumberRules", "ArrayRules", "Pattern", "StringFormat", "Indirect", "Sendable", "Equatable",
        "JSONDecodable", "JSONEncodable", "JSONStringEnum", "JSONIntEnum", "Self", "Type",
        "Protocol", "Any", "Optional", "Array", "Dictionary", "Schemas", "Operations",
    ]

    /// Words written in capitals inside a camel-cased name (`tokenID`).
    static let initialisms: Set<String> = ["id", "ids", "url", "uri", "uuid", "api", "json", "http", "https", "ip"]

    /// `id` → `ID`, `ids` → `IDs`.
    static func initialism(_ word: Substring) -> String {
        let lower = word.lowercased()
        if lower.hasSuffix("s") && initialisms.contains(String(lower.dropLast())) && lower != "https" {
            return lower.dropLast().uppercased() + "s"
        }
        return lower.uppercased()
    }

    /// The alphanumeric words of `text`, splitting on every other character.
    static func words(_ text: String) -> [Substring] {
        text.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// `token_list` → `TokenList`; `ApiAccessLevelEnum` stays as written.
    static func typeName(_ raw: String) -> String {
        var name = words(raw).map { word -> String in
            if initialisms.contains(word.lowercased()) && word.count > 1 && word.lowercased() == word {
                return initialism(word)
            }
            return word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
        if name.isEmpty { name = "_" }
        if name.first!.isNumber { name = "_" + name }
        if reservedTypeNames.contains(name) { name += "Schema" }
        return name
    }

    /// `token_id` → `tokenID`, `Content-Type` → `contentType`, `200` → `_200`.
    static func memberName(_ raw: String) -> String {
        let parts = words(raw)
        guard let first = parts.first else { return "_" }
        var name: String
        if first.uppercased() == first && first.count > 1 && first.first!.isLetter {
            name = first.lowercased()
        } else {
            name = first.prefix(1).lowercased() + first.dropFirst()
        }
        for word in parts.dropFirst() {
            if initialisms.contains(word.lowercased()) && (word.lowercased() == word || word.uppercased() == word) {
                name += Self.initialism(word)
            } else if word.uppercased() == word && word.count > 1 && word.first!.isLetter {
                // SCREAMING_CASE words read as ordinary words: FULL_ACCESS → fullAccess.
                name += word.prefix(1) + word.dropFirst().lowercased()
            } else {
                name += word.prefix(1).uppercased() + word.dropFirst()
            }
        }
        if name.first!.isNumber { name = "_" + name }
        return escaped(name)
    }

    /// Backticks for keywords.
    static func escaped(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    /// The name without backticks, for deriving other names from it.
    static func bare(_ name: String) -> String {
        name.hasPrefix("`") ? String(name.dropFirst().dropLast()) : name
    }
}

/// Hands out unique names in one scope, in the order they are asked for.
struct NameScope {
    private var taken: Set<String>

    init(reserved: Set<String> = []) {
        taken = reserved
    }

    mutating func unique(_ preferred: String) -> String {
        let bare = SwiftNames.bare(preferred)
        var candidate = bare
        var counter = 2
        while taken.contains(candidate) {
            candidate = "\(bare)\(counter)"
            counter += 1
        }
        taken.insert(candidate)
        return candidate == bare ? preferred : SwiftNames.escaped(candidate)
    }
}
