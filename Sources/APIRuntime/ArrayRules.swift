/// The `minItems`, `maxItems` and `uniqueItems` of an array schema, checked
/// by generated code after decoding (item rules are checked per element).
public struct ArrayRules: Sendable {
    public let minItems: Int?
    public let maxItems: Int?
    public let uniqueItems: Bool

    public init(minItems: Int? = nil, maxItems: Int? = nil, uniqueItems: Bool = false) {
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
    }

    /// Reports every rule `value` breaks at `path`; duplicates are found by
    /// pairwise comparison (use the `Hashable` overload when possible).
    public func check<T: Equatable>(_ value: [T], at path: FieldPath, errors: inout ValidationErrors) {
        checkCount(value.count, at: path, errors: &errors)
        if uniqueItems, Self.hasDuplicates(value) {
            errors.add(path, "must not contain duplicates")
        }
    }

    /// Same as the `Equatable` version, finding duplicates with a set.
    public func check<T: Hashable>(_ value: [T], at path: FieldPath, errors: inout ValidationErrors) {
        checkCount(value.count, at: path, errors: &errors)
        if uniqueItems, value.count > 1 {
            var seen = Set<T>(minimumCapacity: value.count)
            for element in value where !seen.insert(element).inserted {
                errors.add(path, "must not contain duplicates")
                return
            }
        }
    }

    private func checkCount(_ count: Int, at path: FieldPath, errors: inout ValidationErrors) {
        if let minItems, count < minItems {
            errors.add(path, "must have at least \(Self.items(minItems))")
        }
        if let maxItems, count > maxItems {
            errors.add(path, "must have at most \(Self.items(maxItems))")
        }
    }

    private static func hasDuplicates<T: Equatable>(_ value: [T]) -> Bool {
        for i in value.indices {
            for j in value.indices where j > i && value[i] == value[j] { return true }
        }
        return false
    }

    private static func items(_ count: Int) -> String {
        count == 1 ? "1 item" : "\(count) items"
    }
}
