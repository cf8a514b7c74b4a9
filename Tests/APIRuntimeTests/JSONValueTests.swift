import Testing
@testable import APIRuntime

@Suite("JSONNumber")
struct JSONNumberTests {
    @Test(arguments: [
        ("0", 0), ("-0", 0), ("42", 42), ("-42", -42), ("1.0", 1), ("1e2", 100), ("1E+2", 100),
        ("2.50e1", 25), ("100e-2", 1), ("0.000", 0), ("0e999999999999", 0), ("-1.5e1", -15),
        ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min),
        ("922337203685477580.7e1", Int.max), ("1000000000000000000000e-3", 1_000_000_000_000_000_000),
    ])
    func integralLiterals(literal: String, value: Int) throws {
        let number = try #require(JSONNumber(literal: literal))
        #expect(number.int == value)
    }

    @Test(arguments: ["1.5", "1e-1", "0.1", "-0.0001", "9223372036854775808", "-9223372036854775809",
                      "1e19", "1e999999999999", "12345678901234567890123e-3", "1e-999999999999"])
    func nonIntegralOrTooBig(literal: String) throws {
        let number = try #require(JSONNumber(literal: literal))
        #expect(number.int == nil)
    }

    @Test func integerValueTellsOverflowFromFraction() throws {
        #expect(JSONNumber(literal: "1e30")?.integerValue == .overflow)
        #expect(JSONNumber(literal: "123456789012345678901234567890")?.integerValue == .overflow)
        #expect(JSONNumber(literal: "1.5")?.integerValue == .fractional)
        #expect(JSONNumber(literal: "123456789012345678901.5")?.integerValue == .fractional)
        #expect(JSONNumber(literal: "1.55e1")?.integerValue == .fractional)
        #expect(JSONNumber(literal: "1.50e1")?.integerValue == .exact(15))
        #expect(JSONNumber(literal: "1.500e2")?.integerValue == .exact(150))
    }

    @Test func doubles() throws {
        #expect(JSONNumber(literal: "1.5")?.double == 1.5)
        #expect(JSONNumber(literal: "-2e-3")?.double == -0.002)
        #expect(JSONNumber(literal: "1e400")?.double == .infinity)
        #expect(JSONNumber(literal: "9007199254740993")?.double == 9007199254740992)
        #expect(JSONNumber(7).double == 7)
    }

    @Test func initializers() {
        #expect(JSONNumber(3).literal == "3")
        #expect(JSONNumber(-3).literal == "-3")
        #expect(JSONNumber(0.1).literal == "0.1")
        #expect(JSONNumber(1.0).literal == "1.0")
        #expect(JSONNumber(1.0).int == 1)
        #expect(JSONNumber(1e100).int == nil)
        #expect(JSONNumber(2.5).description == "2.5")
    }

    @Test(arguments: ["01", "+1", "1.", ".5", "-", "", "1e", "1e+", "NaN", "0x10", " 1", "1 ", "--1"])
    func invalidLiterals(literal: String) {
        #expect(JSONNumber(literal: literal) == nil)
    }

    @Test func equalityComparesLiterals() {
        #expect(JSONNumber(literal: "1") != JSONNumber(literal: "1.0"))
        #expect(JSONNumber(literal: "1e2") == JSONNumber(literal: "1e2"))
        #expect(JSONNumber(5) == JSONNumber(literal: "5"))
    }
}

@Suite("JSONObject")
struct JSONObjectTests {
    @Test func subscriptSetterAppendsReplacesAndRemoves() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["c"] = 3
        object["a"] = "x"
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object["a"] == .string("x"))
        #expect(object.contains("c"))
        #expect(!object.contains("b"))
        #expect(!object.isEmpty)
        #expect(JSONObject().isEmpty)
    }

    @Test func equalityIgnoresOrderButNotContent() {
        let ab: JSONObject = ["a": 1, "b": [true]]
        let ba: JSONObject = ["b": [true], "a": 1]
        #expect(ab == ba)
        #expect(ab.keys != ba.keys)
        #expect(ab != ["a": 1, "b": [false]])
        #expect(ab != ["a": 1])
        #expect(ab != ["a": 1, "c": [true]])
    }

    @Test func literals() {
        let json: JSON = ["s": "x", "i": 1, "d": 1.5, "b": false, "a": [1, "two"]]
        #expect(json.objectValue?["d"]?.numberValue?.double == 1.5)
        #expect(json.objectValue?["a"] == .array([.number(JSONNumber(1)), .string("two")]))
        #expect(json.description == #"{"s":"x","i":1,"d":1.5,"b":false,"a":[1,"two"]}"#)
    }
}
