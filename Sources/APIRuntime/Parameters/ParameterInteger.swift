/// Decimal integers for parameters: `-?[0-9]+`.
enum ParameterInteger {
    enum Outcome {
        case value(Int)
        case outOfRange
        case invalid
    }

    static func parse(_ text: Substring) -> Outcome {
        text.withUTF8Buffer { bytes in
            var index = 0
            let negative = bytes.first == UInt8(ascii: "-")
            if negative { index = 1 }
            guard index < bytes.count else { return .invalid }
            var magnitude: UInt64 = 0
            var overflow = false
            while index < bytes.count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return .invalid }
                if !overflow {
                    let (product, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = product.addingReportingOverflow(UInt64(digit))
                    overflow = o1 || o2
                    magnitude = sum
                }
                index += 1
            }
            if overflow { return .outOfRange }
            if negative {
                if magnitude == UInt64(Int.max) + 1 { return .value(Int.min) }
                return magnitude <= UInt64(Int.max) ? .value(-Int(magnitude)) : .outOfRange
            }
            return magnitude <= UInt64(Int.max) ? .value(Int(magnitude)) : .outOfRange
        }
    }

    static func message(for text: Substring) -> String {
        if case .invalid = parse(text) { return DecodingMessage.integer }
        return DecodingMessage.outOfRange
    }
}
