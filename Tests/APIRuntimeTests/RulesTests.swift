import Testing
@testable import APIRuntime

/// The messages `check` reports for one value.
private func messages(_ body: (inout ValidationErrors) -> Void) -> [String] {
    var errors = ValidationErrors()
    body(&errors)
    #expect(errors.errors.allSatisfy { $0.field == "f" })
    return errors.errors.map(\.message)
}

private let f = FieldPath("f")

@Suite("StringRules")
struct StringRulesTests {
    @Test func lengthsPluralAndSingular() {
        let three = StringRules(minLength: 3, maxLength: 5)
        #expect(messages { three.check("ab", at: f, errors: &$0) } == ["must be at least 3 characters"])
        #expect(messages { three.check("abcdef", at: f, errors: &$0) } == ["must be at most 5 characters"])
        #expect(messages { three.check("abc", at: f, errors: &$0) }.isEmpty)
        #expect(messages { three.check("abcde", at: f, errors: &$0) }.isEmpty)
        let one = StringRules(minLength: 1, maxLength: 1)
        #expect(messages { one.check("", at: f, errors: &$0) } == ["must be at least 1 character"])
        #expect(messages { one.check("ab", at: f, errors: &$0) } == ["must be at most 1 character"])
    }

    @Test func lengthsCountUnicodeScalars() {
        let rules = StringRules(minLength: 2, maxLength: 2)
        // "é" precomposed is 1 scalar (2 bytes); decomposed it is 2 scalars.
        #expect(messages { rules.check("é", at: f, errors: &$0) } == ["must be at least 2 characters"])
        #expect(messages { rules.check("e\u{301}", at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check("éé", at: f, errors: &$0) }.isEmpty)
        // 😀 is 1 scalar (4 bytes); 👍🏽 is 2 scalars (1 character).
        #expect(messages { rules.check("😀", at: f, errors: &$0) } == ["must be at least 2 characters"])
        #expect(messages { rules.check("😀😀", at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check("👍🏽", at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check("😀😀😀", at: f, errors: &$0) } == ["must be at most 2 characters"])
    }

    @Test func patternAndFormat() {
        let rules = StringRules(pattern: Pattern("^[a-z]+$"), format: .email)
        #expect(messages { rules.check("abc", at: f, errors: &$0) } == ["must be an email address"])
        #expect(messages { rules.check("A@b.c", at: f, errors: &$0) } == ["must match the pattern ^[a-z]+$"])
        #expect(messages { rules.check("A b", at: f, errors: &$0) }
            == ["must match the pattern ^[a-z]+$", "must be an email address"])
        #expect(messages { StringRules().check("anything", at: f, errors: &$0) }.isEmpty)
    }

    @Test func everyBrokenRuleIsReported() {
        let rules = StringRules(minLength: 5, pattern: Pattern("^\\d+$"), format: .uuid)
        #expect(messages { rules.check("ab", at: f, errors: &$0) }
            == ["must be at least 5 characters", "must match the pattern ^\\d+$", "must be a UUID"])
    }
}

@Suite("IntegerRules")
struct IntegerRulesTests {
    @Test func inclusiveBounds() {
        let rules = IntegerRules(minimum: 1, maximum: 1000)
        #expect(messages { rules.check(0, at: f, errors: &$0) } == ["must be at least 1"])
        #expect(messages { rules.check(1001, at: f, errors: &$0) } == ["must be at most 1000"])
        #expect(messages { rules.check(1, at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check(1000, at: f, errors: &$0) }.isEmpty)
    }

    @Test func exclusiveBounds() {
        let rules = IntegerRules(minimum: 0, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: true)
        #expect(messages { rules.check(0, at: f, errors: &$0) } == ["must be greater than 0"])
        #expect(messages { rules.check(5, at: f, errors: &$0) } == ["must be less than 5"])
        #expect(messages { rules.check(1, at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check(4, at: f, errors: &$0) }.isEmpty)
    }

    @Test func multipleOf() {
        let rules = IntegerRules(multipleOf: 5)
        #expect(messages { rules.check(7, at: f, errors: &$0) } == ["must be a multiple of 5"])
        #expect(messages { rules.check(-10, at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check(0, at: f, errors: &$0) }.isEmpty)
        #expect(messages { IntegerRules(multipleOf: 0).check(7, at: f, errors: &$0) }.isEmpty)
    }

    @Test func otherIntegerTypes() {
        let rules = IntegerRules(minimum: -5, maximum: 1000, multipleOf: 300)
        #expect(messages { rules.check(Int32(-6), at: f, errors: &$0) } == ["must be at least -5", "must be a multiple of 300"])
        #expect(messages { rules.check(Int64(600), at: f, errors: &$0) }.isEmpty)
        // 300 does not fit in UInt8: only 0 is a multiple; no trap.
        #expect(messages { rules.check(UInt8(200), at: f, errors: &$0) } == ["must be a multiple of 300"])
        #expect(messages { rules.check(UInt8(0), at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check(UInt64.max, at: f, errors: &$0) } == ["must be at most 1000", "must be a multiple of 300"])
    }
}

@Suite("NumberRules")
struct NumberRulesTests {
    @Test func boundsPrintWithoutTrailingZero() {
        let rules = NumberRules(minimum: 1, maximum: 2.5)
        #expect(messages { rules.check(0.5, at: f, errors: &$0) } == ["must be at least 1"])
        #expect(messages { rules.check(2.6, at: f, errors: &$0) } == ["must be at most 2.5"])
        #expect(messages { rules.check(1.0, at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check(2.5, at: f, errors: &$0) }.isEmpty)
    }

    @Test func exclusiveBounds() {
        let rules = NumberRules(minimum: 0, exclusiveMinimum: true, maximum: 0.75, exclusiveMaximum: true)
        #expect(messages { rules.check(0.0, at: f, errors: &$0) } == ["must be greater than 0"])
        #expect(messages { rules.check(0.75, at: f, errors: &$0) } == ["must be less than 0.75"])
        #expect(messages { rules.check(0.5, at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check(Double.nan, at: f, errors: &$0) } == ["must be greater than 0", "must be less than 0.75"])
    }

    @Test func multipleOfToleratesBinaryFractions() {
        let tenth = NumberRules(multipleOf: 0.1)
        #expect(messages { tenth.check(0.3, at: f, errors: &$0) }.isEmpty)
        #expect(messages { tenth.check(19.9, at: f, errors: &$0) }.isEmpty)
        #expect(messages { tenth.check(0.35, at: f, errors: &$0) } == ["must be a multiple of 0.1"])
        #expect(messages { tenth.check(1e-13, at: f, errors: &$0) } == ["must be a multiple of 0.1"])
        #expect(messages { NumberRules(multipleOf: 2).check(3.0, at: f, errors: &$0) } == ["must be a multiple of 2"])
        #expect(messages { NumberRules(multipleOf: 0.123456789).check(1e308, at: f, errors: &$0) }
            == ["must be a multiple of 0.123456789"])
    }

    @Test func floatOverloads() {
        let rules = NumberRules(maximum: 1, multipleOf: 0.1)
        #expect(messages { rules.check(Float(0.3), at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check(Float(1.5), at: f, errors: &$0) } == ["must be at most 1"])
        func generic<T: BinaryFloatingPoint>(_ value: T) -> [String] {
            messages { rules.check(value, at: f, errors: &$0) }
        }
        #expect(generic(Double(2)) == ["must be at most 1"])
        #expect(generic(Float(0.5)).isEmpty)
    }

    @Test func formatting() {
        #expect(NumberRules.format(5) == "5")
        #expect(NumberRules.format(-3) == "-3")
        #expect(NumberRules.format(2.5) == "2.5")
        #expect(NumberRules.format(1e20) == "1e+20")
    }
}

private struct Point: Equatable {
    var x: Int
}

@Suite("ArrayRules")
struct ArrayRulesTests {
    @Test func counts() {
        let rules = ArrayRules(minItems: 2, maxItems: 3)
        #expect(messages { rules.check([1], at: f, errors: &$0) } == ["must have at least 2 items"])
        #expect(messages { rules.check([1, 2, 3, 4], at: f, errors: &$0) } == ["must have at most 3 items"])
        #expect(messages { rules.check([1, 2], at: f, errors: &$0) }.isEmpty)
        let one = ArrayRules(minItems: 1, maxItems: 1)
        #expect(messages { one.check([Int](), at: f, errors: &$0) } == ["must have at least 1 item"])
        #expect(messages { one.check([1, 2], at: f, errors: &$0) } == ["must have at most 1 item"])
    }

    @Test func uniqueHashable() {
        let rules = ArrayRules(uniqueItems: true)
        #expect(messages { rules.check(["a", "b", "a", "a"], at: f, errors: &$0) } == ["must not contain duplicates"])
        #expect(messages { rules.check(["a", "b"], at: f, errors: &$0) }.isEmpty)
        #expect(messages { ArrayRules().check([1, 1], at: f, errors: &$0) }.isEmpty)
    }

    @Test func uniqueEquatableOnly() {
        let rules = ArrayRules(maxItems: 2, uniqueItems: true)
        #expect(messages { rules.check([Point(x: 1), Point(x: 2), Point(x: 1)], at: f, errors: &$0) }
            == ["must have at most 2 items", "must not contain duplicates"])
        #expect(messages { rules.check([Point(x: 1), Point(x: 2)], at: f, errors: &$0) }.isEmpty)
        #expect(messages { rules.check([JSON.object(["a": 1]), JSON.object(["a": 1])], at: f, errors: &$0) }
            == ["must not contain duplicates"])
    }
}
