/// The `minimum`, `maximum` (each possibly exclusive) and `multipleOf` of an
/// integer schema, checked by generated code after decoding.
public struct IntegerRules: Sendable {
    public let minimum: Int?
    public let exclusiveMinimum: Bool
    public let maximum: Int?
    public let exclusiveMaximum: Bool
    /// Ignored unless positive (a zero would divide by zero).
    public let multipleOf: Int?

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
