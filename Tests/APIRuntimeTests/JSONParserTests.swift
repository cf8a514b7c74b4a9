import Testing
@testable import APIRuntime

/// Parses `text`, expecting a syntax error, and returns it.
private func syntaxError(_ text: String) -> JSONSyntaxError? {
    do {
        _ = try JSON.parse(text)
        return nil
    } catch {
        return error
    }
}

private func syntaxError(bytes: [UInt8]) -> JSONSyntaxError? {
    do {
        _ = try JSON.parse(bytes)
        return nil
    } catch {
        return error
    }
}

@Suite("JSON parser: valid documents")
struct JSONParserValidTests {
    @Test func scalars() throws {
        #expect(try JSON.parse("null") == .null)
        #expect(try JSON.parse("true") == .bool(true))
        #expect(try JSON.parse("false") == .bool(false))
        #expect(try JSON.parse("\"hi\"") == .string("hi"))
        #expect(try JSON.parse("-12.5e3").numberValue?.literal == "-12.5e3")
        #expect(try JSON.parse(" \t\r\n 7 \n").numberValue?.int == 7)
    }

    @Test func nestedContainersKeepOrder() throws {
        let json = try JSON.parse(#"{"z": [1, {"b": null, "a": []}], "a": {}, "m": "x"}"#)
        let object = try #require(json.objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object.count == 3)
        let inner = try #require(object["z"]?.arrayValue?[1].objectValue)
        #expect(inner.keys == ["b", "a"])
        #expect(inner["b"]?.isNull == true)
        #expect(inner["a"] == .array([]))
        #expect(object["missing"] == nil)
        #expect(object["m"]?.stringValue == "x")
    }

    @Test func everyEscape() throws {
        let json = try JSON.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\u0000""#)
        #expect(json == .string("\"\\/\u{8}\u{C}\n\r\tAé€\u{0}"))
    }

    @Test func surrogatePairs() throws {
        #expect(try JSON.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSON.parse(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
    }

    @Test func rawUTF8IsKept() throws {
        #expect(try JSON.parse("\"é 😀 中\"") == .string("é 😀 中"))
        #expect(try JSON.parse("{\"clé\": \"v\\n😀\"}").objectValue?["clé"] == .string("v\n😀"))
    }

    @Test func allEntryPointsAgree() throws {
        let text = #"{"a":[1,2.5,"x",true,null]}"#
        let bytes = Array(text.utf8)
        let fromString = try JSON.parse(text)
        let fromArray = try JSON.parse(bytes)
        let fromBuffer = try bytes.withUnsafeBytes { buffer in try JSON.parse(buffer) }
        #expect(fromString == fromArray)
        #expect(fromArray == fromBuffer)
        #expect(fromString.objectValue?["a"]?.arrayValue?.count == 5)
    }

    @Test func accessorsReturnNilForOtherKinds() throws {
        let number = try JSON.parse("1")
        #expect(number.stringValue == nil)
        #expect(number.boolValue == nil)
        #expect(number.arrayValue == nil)
        #expect(number.objectValue == nil)
        #expect(!number.isNull)
        #expect(try JSON.parse("[]").arrayValue == [])
        #expect(try JSON.parse("true").boolValue == true)
    }

    @Test func sixtyFourLevelsAreAllowed() throws {
        let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        var json = try JSON.parse(text)
        var depth = 0
        while case .array(let elements) = json {
            depth += 1
            guard let first = elements.first else { break }
            json = first
        }
        #expect(depth == 64)
    }

    @Test func sameKeyInDifferentObjectsIsFine() throws {
        let json = try JSON.parse(#"{"a": {"a": 1}, "b": {"a": 2}}"#)
        #expect(json.objectValue?["b"]?.objectValue?["a"] == 2)
    }

    @Test func largeObjectsWithoutDuplicates() throws {
        let members = (0..<100).map { "\"k\($0)\": \($0)" }.joined(separator: ",")
        let object = try #require(try JSON.parse("{\(members)}").objectValue)
        #expect(object.count == 100)
        #expect(object["k99"] == 99)
    }
}

@Suite("JSON parser: invalid documents")
struct JSONParserInvalidTests {
    @Test(arguments: [
        ("[1,2,]", "unexpected character ']'", 5),
        (#"{"a":1,}"#, "unexpected character '}'", 7),
        ("[1 2]", "unexpected character '2'", 3),
        (#"{"a" 1}"#, "unexpected character '1'", 5),
        ("{a:1}", "unexpected character 'a'", 1),
        ("['a']", "unexpected character \"'\"", 1),
        ("// c\n1", "unexpected character '/'", 0),
        ("[1] /* c */", "unexpected character '/'", 4),
        ("NaN", "unexpected character 'N'", 0),
        ("Infinity", "unexpected character 'I'", 0),
        ("-Infinity", "unexpected character 'I'", 1),
        ("01", "leading zeros are not allowed", 0),
        ("-012", "leading zeros are not allowed", 0),
        (".5", "unexpected character '.'", 0),
        ("+1", "unexpected character '+'", 0),
        ("1.e5", "unexpected character 'e'", 2),
        ("0x1F", "unexpected character 'x'", 1),
        ("trUe", "unexpected character 'U'", 2),
        ("nul", "unexpected end of input", 3),
        ("", "unexpected end of input", 0),
        ("   ", "unexpected end of input", 3),
        ("[1,", "unexpected end of input", 3),
        ("1.", "unexpected end of input", 2),
        ("1e+", "unexpected end of input", 3),
        ("{} {}", "unexpected character '{'", 3),
        ("\"abc", "unexpected end of input in a string", 4),
        ("\"a\nb\"", "unescaped control character U+000A in a string", 2),
        ("\"a\u{1}\"", "unescaped control character U+0001 in a string", 2),
        (#""\x""#, "invalid escape sequence '\\x'", 1),
        (#""\u12G4""#, "invalid \\u escape: expected 4 hex digits", 1),
        (#""\ud800""#, "lone surrogate \\uD800", 1),
        (#""\ud800\u0041""#, "lone surrogate \\uD800", 1),
        (#""ab\udc00""#, "lone surrogate \\uDC00", 3),
        (#"{"a":1,"a":2}"#, "duplicate key 'a'", 7),
        ("\u{FEFF}{}", "byte order mark is not allowed", 0),
        ("[é]", "unexpected character 'é'", 1),
    ])
    func rejects(text: String, reason: String, offset: Int) throws {
        let error = try #require(syntaxError(text))
        #expect(error.reason == reason)
        #expect(error.offset == offset)
        #expect(error.message == "\(reason) at line \(error.line), column \(error.column)")
        #expect(error.description == error.message)
    }

    @Test func exampleMessageFromTheBrief() throws {
        let error = try #require(syntaxError(#"{"ab": 12, }"#))
        #expect(error.message == "unexpected character '}' at line 1, column 12")
        #expect(error.line == 1)
        #expect(error.column == 12)
        #expect(error.offset == 11)
    }

    @Test func lineAndColumnAcrossLines() throws {
        let error = try #require(syntaxError("{\n  \"a\": 1,\n  \"b\": }"))
        #expect(error.line == 3)
        #expect(error.column == 8)
        #expect(error.message == "unexpected character '}' at line 3, column 8")
    }

    @Test func lineAndColumnWithCRLFAndLoneCR() throws {
        let crlf = try #require(syntaxError("[1,\r\n2,\r\n x]"))
        #expect(crlf.line == 3)
        #expect(crlf.column == 2)
        let cr = try #require(syntaxError("[1,\r\r  x]"))
        #expect(cr.line == 3)
        #expect(cr.column == 3)
    }

    @Test func columnsCountScalarsNotBytes() throws {
        let error = try #require(syntaxError("[\"é😀\", x]"))
        #expect(error.offset == 11)
        #expect(error.column == 8)
    }

    @Test func endOfInputPointsPastTheLastCharacter() throws {
        let error = try #require(syntaxError("{\n\"a\": "))
        #expect(error.line == 2)
        #expect(error.column == 6)
        #expect(error.reason == "unexpected end of input")
    }

    @Test func tooDeep() throws {
        let text = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(syntaxError(text))
        #expect(error.reason == "nesting is deeper than 64 levels")
        #expect(error.offset == 64)
        let objects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(syntaxError(objects)?.reason == "nesting is deeper than 64 levels")
    }

    @Test func duplicateKeyInLargeObjectUsesItsName() throws {
        let members = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ",")
        let error = try #require(syntaxError("{\(members), \"k7\": 0}"))
        #expect(error.reason == "duplicate key 'k7'")
    }

    @Test func duplicateKeyAfterEscapes() throws {
        // `\u0061` is `a`: the same key spelled differently is still a duplicate.
        #expect(syntaxError(#"{"a": 1, "\u0061": 2}"#)?.reason == "duplicate key 'a'")
    }

    @Test(arguments: [
        ([0x22, 0xFF, 0x22], "invalid UTF-8 byte 0xFF", 1),
        ([0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8 byte 0xC0", 1),
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], "invalid UTF-8 byte 0x80", 2),
        ([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 byte 0xA0", 2),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8 byte 0x90", 2),
        ([0x22, 0xC3, 0x41, 0x22], "invalid UTF-8 byte 0x41", 2),
        ([0x22, 0xE2, 0x82], "unexpected end of input in a string", 3),
        ([0x22, 0x5C, 0x6E, 0xFE, 0x22], "invalid UTF-8 byte 0xFE", 3),
        ([0x5B, 0xFF, 0x5D], "invalid UTF-8 byte 0xFF", 1),
    ] as [([UInt8], String, Int)])
    func rejectsInvalidUTF8(bytes: [UInt8], reason: String, offset: Int) throws {
        let error = try #require(syntaxError(bytes: bytes))
        #expect(error.reason == reason)
        #expect(error.offset == offset)
    }

    @Test func acceptsEveryUTF8Length() throws {
        // U+007F, U+07FF, U+FFFF, U+10FFFF: the edges of each sequence length.
        let bytes: [UInt8] = [0x22, 0x7F, 0xDF, 0xBF, 0xEF, 0xBF, 0xBF, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]
        #expect(try JSON.parse(bytes) == .string("\u{7F}\u{7FF}\u{FFFF}\u{10FFFF}"))
    }
}

@Suite("JSON round trips")
struct JSONRoundTripTests {
    @Test(arguments: [
        #"{"a":[1,-2.50,3e10,0.1E-2],"b":{"c":null,"d":true,"e":false},"f":"x\"y\\z\n\u0001é😀"}"#,
        #"[[],{},[[{}]],"",0,-0,1.0]"#,
        #""just a string""#,
        "123456789012345678901234567890",
    ])
    func parseWriteParse(text: String) throws {
        let first = try JSON.parse(text)
        var writer = JSONWriter()
        writer.raw(first)
        let second = try JSON.parse(writer.bytes)
        #expect(first == second)
        var again = JSONWriter()
        again.raw(second)
        #expect(again.string == writer.string)
    }

    @Test func compactTextIsReproducedExactly() throws {
        let text = #"{"z":1,"a":[true,null,"é"],"n":-0.50e+3}"#
        #expect(try JSON.parse(text).description == text)
    }
}
