/// The `minItems`, `maxItems` and `uniqueItems` of an array schema, checked
/// by generated code after decoding (item rules are checked per element).
///
/// ```swift
/// static let idsRules = ArrayRules(maxItems: 100, uniqueItems: true)
///
/// idsRules.check([id, id], at: FieldPath("token_ids"), errors: &errors)
/// // token_ids: must not contain duplicates
/// ```
public struct ArrayRules: Sendable {
    /// `minItems`: the fewest elements allowed, inclusive; nil when the schema
    /// sets no lower bound. A shorter array reports `must have at least N items`.
    public let minItems: Int?
    /// `maxItems`: the most elements allowed, inclusive; nil when unbounded.
    /// A longer array reports `must have at most N items`.
    public let maxItems: Int?
    /// `uniqueItems`: whether two equal elements make the array invalid
    /// (`must not contain duplicates`, reported once however many there are).
    public let uniqueItems: Bool

    /// The rules of one array schema; the defaults check nothing, so generated
    /// code passes only the keywords the spec writes.
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
