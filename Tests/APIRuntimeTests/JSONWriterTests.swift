import Testing
@testable import APIRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test func commasAndNesting() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("a")
        writer.int(1)
        writer.key("b")
        writer.beginArray()
        writer.int(1)
        writer.string("x")
        writer.beginObject()
        writer.endObject()
        writer.beginArray()
        writer.endArray()
        writer.null()
        writer.endArray()
        writer.key("c")
        writer.bool(true)
        writer.key("d")
        writer.bool(false)
        writer.endObject()
        #expect(writer.string == #"{"a":1,"b":[1,"x",{},[],null],"c":true,"d":false}"#)
    }

    @Test func arrayOfObjects() {
        var writer = JSONWriter()
        writer.beginArray()
        for id in 1...3 {
            writer.beginObject()
            writer.field("id", id)
            writer.field("name", "n\(id)")
            writer.endObject()
        }
        writer.endArray()
        #expect(writer.string == #"[{"id":1,"name":"n1"},{"id":2,"name":"n2"},{"id":3,"name":"n3"}]"#)
    }

    /// `field(_:_: T??)`: nil leaves the member out, `.some(nil)` writes null.
    @Test func tristateFields() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("absent", Int??.none)
        writer.field("null", Int??.some(nil))
        writer.field("value", Int??.some(3))
        writer.field("text", String??.some("x"))
        writer.field("list", [Int]??.some([1]))
        writer.endObject()
        #expect(writer.string == #"{"null":null,"value":3,"text":"x","list":[1]}"#)

        writer = JSONWriter()
        writer.beginObject()
        writer.field("only", Int??.none)
        writer.endObject()
        #expect(writer.string == "{}")
    }

    /// The other overloads keep their meaning beside the `T??` one: a plain
    /// `T?` value is written (nil as null); `nullable:` decides for nil.
    @Test func optionalFieldOverloads() {
        var writer = JSONWriter()
        let missing: Int? = nil
        writer.beginObject()
        writer.field("plain", missing)
        writer.field("required", missing, nullable: true)
        writer.field("optional", missing, nullable: false)
        writer.field("set", Int?.some(2), nullable: false)
        writer.endObject()
        #expect(writer.string == #"{"plain":null,"required":null,"set":2}"#)
    }

    @Test func escaping() {
        var writer = JSONWriter()
        writer.string("\"\\/\n\r\t\u{8}\u{C}\u{0}\u{1}\u{1F}\u{7F}é😀 plain")
        #expect(writer.string == "\"\\\"\\\\/\\n\\r\\t\\b\\f\\u0000\\u0001\\u001f\u{7F}é😀 plain\"")
    }

    @Test func keysAreEscapedToo() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("a\"b")
        writer.int(0)
        writer.endObject()
        #expect(writer.string == #"{"a\"b":0}"#)
    }

    @Test func escapedOutputParsesBack() throws {
        let original = (0..<128).map { String(UnicodeScalar(UInt8($0))) }.joined() + "é😀\u{2028}"
        var writer = JSONWriter()
        writer.string(original)
        #expect(try JSON.parse(writer.bytes) == .string(original))
    }

    @Test func integers() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.int(0)
        writer.int(-1)
        writer.int(10)
        writer.int(Int.max)
        writer.int(Int.min)
        writer.int(Int32(-5))
        writer.int(Int64(1) << 40)
        writer.int(UInt64.max)
        writer.int(UInt8(255))
        writer.endArray()
        #expect(writer.string == "[0,-1,10,9223372036854775807,-9223372036854775808,-5,1099511627776,18446744073709551615,255]")
    }

    @Test func doublesAndFloats() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.double(1.0)
        writer.double(0.1)
        writer.double(-2.5)
        writer.double(1e100)
        writer.double(.nan)
        writer.double(.infinity)
        writer.double(-.infinity)
        writer.float(0.1)
        writer.float(.nan)
        writer.number(JSONNumber(literal: "1.50")!)
        writer.number(JSONNumber(.nan))
        writer.number(JSONNumber(-Double.infinity))
        writer.endArray()
        #expect(writer.string == "[1.0,0.1,-2.5,1e+100,null,null,null,0.1,null,1.50,null,null]")
    }

    @Test func uuidIsLowercase() throws {
        let id = try #require(UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"))
        var writer = JSONWriter()
        writer.uuid(id)
        #expect(writer.string == "\"e621e1f8-c36c-495a-93fc-0c247a3e6e5f\"")
        #expect(writer.bytes.count == 38)
    }

    @Test(arguments: [
        (1_642_913_767.0, "2022-01-23T04:56:07Z"),
        (1_642_913_767.5, "2022-01-23T04:56:07.5Z"),
        (1_642_913_767.25, "2022-01-23T04:56:07.25Z"),
        (1_642_913_767.123456, "2022-01-23T04:56:07.123456Z"),
        (1_642_913_767.000100, "2022-01-23T04:56:07.0001Z"),
        (1_642_913_767.9999996, "2022-01-23T04:56:08Z"),
        (0, "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (-0.5, "1969-12-31T23:59:59.5Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
    ])
    func dates(seconds: Double, expected: String) {
        var writer = JSONWriter()
        writer.date(Date(timeIntervalSince1970: seconds))
        #expect(writer.string == "\"\(expected)\"")
    }

    @Test func nullableFields() {
        var writer = JSONWriter()
        let missing: String? = nil
        writer.beginObject()
        writer.field("a", 1)
        writer.field("skipped", missing, nullable: false)
        writer.field("b", missing, nullable: true)
        writer.field("c", Optional("x"), nullable: false)
        writer.field("skipped2", missing, nullable: false)
        writer.endObject()
        #expect(writer.string == #"{"a":1,"b":null,"c":"x"}"#)
    }

    @Test func omittedFirstFieldLeavesNoComma() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("a", nil as Int?, nullable: false)
        writer.field("b", Optional(2), nullable: false)
        writer.endObject()
        #expect(writer.string == #"{"b":2}"#)
    }

    @Test func rawValues() throws {
        let json = try JSON.parse(#"{ "b" : [ 1.50 , null , { } ] , "a" : "x" }"#)
        var writer = JSONWriter()
        writer.beginArray()
        writer.raw(json)
        writer.raw(.null)
        writer.endArray()
        #expect(writer.string == #"[{"b":[1.50,null,{}],"a":"x"},null]"#)
    }

    @Test func encodableConformances() throws {
        let id = try #require(UUID(uuidString: "00000000-0000-0000-0000-00000000000A"))
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("ints", [1, 2, 3])
        writer.field("map", ["b": 2, "a": 1, "c": 3])
        writer.field("optionals", [Optional(1), nil])
        writer.field("id", id)
        writer.field("when", Date(timeIntervalSince1970: 0))
        writer.field("i32", Int32(7))
        writer.field("i64", Int64(-7))
        writer.field("f", Float(2.5))
        writer.field("d", 2.5)
        writer.field("bool", true)
        writer.field("json", JSON.array([1, "x"]))
        writer.field("nested", [[String]]([["a"], []]))
        writer.endObject()
        #expect(writer.string == #"{"ints":[1,2,3],"map":{"a":1,"b":2,"c":3},"optionals":[1,null],"#
            + #""id":"00000000-0000-0000-0000-00000000000a","when":"1970-01-01T00:00:00Z","i32":7,"#
            + #""i64":-7,"f":2.5,"d":2.5,"bool":true,"json":[1,"x"],"nested":[["a"],[]]}"#)
    }

    @Test func topLevelValuesAndReset() {
        #expect(JSONWriter.encode(["x", "y"]) == Array(#"["x","y"]"#.utf8))
        var writer = JSONWriter(capacity: 8)
        writer.value("first")
        #expect(writer.string == #""first""#)
        writer.reset()
        #expect(writer.bytes.isEmpty)
        writer.beginArray()
        writer.value(1)
        writer.endArray()
        #expect(writer.string == "[1]")
    }
}
