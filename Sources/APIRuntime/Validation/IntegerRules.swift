/// The `minimum`, `maximum` (each possibly exclusive) and `multipleOf` of an
/// integer schema, checked by generated code after decoding.
///
/// Bounds are `Int` whatever the property's type (`Int32`, `Int64`), and
/// the comparison is exact for every `BinaryInteger`:
///
/// ```swift
/// static let pageSizeRules = IntegerRules(minimum: 1, maximum: 1000)
///
/// var errors = ValidationErrors()
/// pageSizeRules.check(0, at: FieldPath("page_size"), errors: &errors)
/// // errors.errors == [FieldError(field: "page_size", message: "must be at least 1")]
/// ```
public struct IntegerRules: Sendable {
    /// `minimum`: the lower bound, or nil for none. Inclusive unless
    /// ``exclusiveMinimum`` is set.
    public let minimum: Int?
    /// Whether ``minimum`` itself is refused (`must be greater than N` instead of
    /// `must be at least N`); 3.0's boolean and 3.1's numeric `exclusiveMinimum`
    /// both arrive here as a bound plus this flag.
    public let exclusiveMinimum: Bool
    /// `maximum`: the upper bound, or nil for none. Inclusive unless
    /// ``exclusiveMaximum`` is set.
    public let maximum: Int?
    /// Whether ``maximum`` itself is refused (`must be less than N` instead of
    /// `must be at most N`).
    public let exclusiveMaximum: Bool
    /// `multipleOf`: the value must be an exact multiple of it
    /// (`must be a multiple of N`); nil for none. Ignored unless positive (a
    /// zero would divide by zero).
    public let multipleOf: Int?

    /// The rules of one integer schema; the defaults check nothing.
    public init(
        minimum: Int? = nil, exclusiveMinimum: Bool = false,
        maximum: Int? = nil, exclusiveMaximum: Bool = false,
        multipleOf: Int? = nil
    ) {
        self.minimum = minimum
        self.exclusiveMinimum = exclusiveMinimum
        self.maximum = maximum
        self.exclusiveMaximum = exclusiveMaximum
        self.multipleOf = multipleOf
    }

    /// Reports every bound `value` breaks at `path`: `must be at least 1`,
    /// `must be greater than 0`, `must be at most 1000`, `must be less than 5`,
    /// `must be a multiple of 5`.
    public func check<T: BinaryInteger>(_ value: T, at path: FieldPath, errors: inout ValidationErrors) {
        // Heterogeneous comparisons: no conversion can trap, whatever T is.
        if let minimum {
            if exclusiveMinimum {
                if value <= minimum { errors.add(path, "must be greater than \(minimum)") }
            } else if value < minimum {
                errors.add(path, "must be at least \(minimum)")
            }
        }
        if let maximum {
            if exclusiveMaximum {
                if value >= maximum { errors.add(path, "must be less than \(maximum)") }
            } else if value > maximum {
                errors.add(path, "must be at most \(maximum)")
            }
        }
        if let multipleOf, multipleOf > 0 {
            // A divisor T cannot hold is larger than any non-zero T value.
            let isMultiple = T(exactly: multipleOf).map { value.isMultiple(of: $0) } ?? (value == 0)
            if !isMultiple { errors.add(path, "must be a multiple of \(multipleOf)") }
        }
    }
}
