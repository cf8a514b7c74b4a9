/// The `minimum`, `maximum` (each possibly exclusive) and `multipleOf` of a
/// `number` schema, checked by generated code after decoding.
///
/// ```swift
/// static let ratioRules = NumberRules(minimum: 0, maximum: 1, exclusiveMaximum: true, multipleOf: 0.05)
///
/// ratioRules.check(1.0, at: FieldPath("ratio"), errors: &errors)   // `must be less than 1`
/// ratioRules.check(0.3, at: FieldPath("ratio"), errors: &errors)   // fine: 0.3 is 6 × 0.05, give or take binary rounding
/// ```
public struct NumberRules: Sendable {
    /// `minimum`: the lower bound, or nil for none. Inclusive unless
    /// ``exclusiveMinimum`` is set.
    public let minimum: Double?
    /// Whether ``minimum`` itself is refused (`must be greater than N` instead of
    /// `must be at least N`).
    public let exclusiveMinimum: Bool
    /// `maximum`: the upper bound, or nil for none. Inclusive unless
    /// ``exclusiveMaximum`` is set.
    public let maximum: Double?
    /// Whether ``maximum`` itself is refused (`must be less than N` instead of
    /// `must be at most N`).
    public let exclusiveMaximum: Bool
    /// `multipleOf`: `value / multipleOf` must be an integer, allowing for
    /// the binary rounding of decimal fractions; nil for none, and ignored
    /// unless positive. A failure reports `must be a multiple of N`.
    public let multipleOf: Double?

    /// The rules of one `number` schema; the defaults check nothing.
    public init(
        minimum: Double? = nil, exclusiveMinimum: Bool = false,
        maximum: Double? = nil, exclusiveMaximum: Bool = false,
        multipleOf: Double? = nil
    ) {
        self.minimum = minimum
        self.exclusiveMinimum = exclusiveMinimum
        self.maximum = maximum
        self.exclusiveMaximum = exclusiveMaximum
        self.multipleOf = multipleOf
    }

    /// Reports every bound `value` breaks at `path`, with bounds printed as
    /// written in a spec (`must be at least 1`, `must be less than 2.5`).
    public func check(_ value: Double, at path: FieldPath, errors: inout ValidationErrors) {
        if let minimum {
            if exclusiveMinimum {
                if !(value > minimum) { errors.add(path, "must be greater than \(Self.format(minimum))") }
            } else if !(value >= minimum) {
                errors.add(path, "must be at least \(Self.format(minimum))")
            }
        }
        if let maximum {
            if exclusiveMaximum {
                if !(value < maximum) { errors.add(path, "must be less than \(Self.format(maximum))") }
            } else if !(value <= maximum) {
                errors.add(path, "must be at most \(Self.format(maximum))")
            }
        }
        if let multipleOf, multipleOf > 0, !Self.isMultiple(value, of: multipleOf) {
            errors.add(path, "must be a multiple of \(Self.format(multipleOf))")
        }
    }

    /// `Float` values are compared as the decimal they print as, so `0.1`
    /// stored in a `Float` is still a multiple of `0.1`.
    public func check(_ value: Float, at path: FieldPath, errors: inout ValidationErrors) {
        check(Double(value.description) ?? Double(value), at: path, errors: &errors)
    }

    /// Any other floating-point type, widened to `Double`.
    public func check<T: BinaryFloatingPoint>(_ value: T, at path: FieldPath, errors: inout ValidationErrors) {
        check(Double(value), at: path, errors: &errors)
    }

    /// Whether `value / divisor` is an integer, allowing for the rounding of
    /// decimal fractions in binary (`0.3 / 0.1` is `2.9999999999999996`).
    static func isMultiple(_ value: Double, of divisor: Double) -> Bool {
        let quotient = value / divisor
        guard quotient.isFinite else { return false }
        let nearest = quotient.rounded()
        return abs(quotient - nearest) <= abs(quotient) * 1e-12
    }

    /// `5` rather than `5.0` for integral bounds; `2.5` as is.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return value.description
    }
}
