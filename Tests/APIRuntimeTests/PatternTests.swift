import Testing
@testable import APIRuntime

private enum Patterns {
    static let slug = Pattern("^[a-z0-9]+(-[a-z0-9]+)*$")
}

@Suite("Pattern")
struct PatternTests {
    @Test func searchSemantics() {
        let pattern = Pattern("abc")
        #expect(pattern.matches("xxabcxx"))
        #expect(pattern.matches("abc"))
        #expect(!pattern.matches("ab"))
        #expect(pattern.source == "abc")
        #expect(pattern.isValid)
    }

    @Test func anchors() {
        let pattern = Pattern("^abc$")
        #expect(pattern.matches("abc"))
        #expect(!pattern.matches("xabc"))
        #expect(!pattern.matches("abcx"))
        // ECMA `$` without the m flag is the very end, not "before a final newline".
        #expect(!pattern.matches("abc\n"))
        #expect(Pattern("^a").matches("ab"))
        #expect(!Pattern("^b").matches("ab"))
    }

    @Test func ecmaClasses() {
        #expect(Pattern("^\\d+$").matches("0123"))
        // ECMA `\d` and `\w` are ASCII-only.
        #expect(!Pattern("^\\d+$").matches("١٢٣"))
        #expect(!Pattern("^\\w+$").matches("é"))
        #expect(Pattern("^\\p{L}+$").matches("é"))
        #expect(Pattern("^\\s$").matches("\u{A0}"))
        #expect(Pattern("^\\u0041$").matches("A"))
        #expect(Pattern("^[^/]+\\/x$").matches("a/x"))
    }

    @Test func scalarsNotGraphemes() {
        // "e" + combining acute is two scalars: `.` matches one of them.
        #expect(Pattern("^.$").matches("é"))
        #expect(!Pattern("^.$").matches("e\u{301}"))
        #expect(Pattern("^..$").matches("e\u{301}"))
    }

    @Test func invalidPatternAcceptsEverything() {
        let pattern = Pattern("(unclosed")
        #expect(!pattern.isValid)
        #expect(pattern.matches("anything"))
        #expect(pattern.matches(""))
    }

    @Test func staticPatternFromManyTasks() async {
        let inputs = ["my-token", "My-Token", "a", "a--b", "abc-123-x", "-x", ""]
        let expected = inputs.map { Patterns.slug.matches($0) }
        #expect(expected == [true, false, true, false, true, false, false])
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<300 {
                        let index = (task + round) % inputs.count
                        if Patterns.slug.matches(inputs[index]) != expected[index] { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func freshPatternSharedAcrossTasks() async {
        let pattern = Pattern("^[0-9]{3}$")
        let results = await withTaskGroup(of: Bool.self) { group in
            for value in 0..<64 {
                group.addTask { pattern.matches(String(value * 17)) == (value * 17 >= 100 && value * 17 < 1000) }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(results)
    }
}

@Suite("StringFormat")
struct StringFormatTests {
    @Test(arguments: [
        (StringFormat.date, "2024-02-29", true), (.date, "2023-02-29", false), (.date, "2023-13-01", false),
        (.date, "2023-1-01", false), (.date, "2023-01-01T00:00:00Z", false),
        (.dateTime, "2022-01-23T04:56:07Z", true), (.dateTime, "2022-01-23", false),
        (.uuid, "e621e1f8-c36c-495a-93fc-0c247a3e6e5f", true), (.uuid, "E621E1F8-C36C-495A-93FC-0C247A3E6E5F", true),
        (.uuid, "e621e1f8c36c495a93fc0c247a3e6e5f", false), (.uuid, "e621e1f8-c36c-495a-93fc-0c247a3e6e5", false),
        (.email, "joe.bloggs@example.com", true), (.email, "a@localhost", true), (.email, "x+tag@sub.example.org", true),
        (.email, "user@[127.0.0.1]", true), (.email, "é@exämple.de", true),
        (.email, "plain", false), (.email, "@example.com", false), (.email, "joe@", false),
        (.email, ".joe@example.com", false), (.email, "joe.@example.com", false), (.email, "jo..e@example.com", false),
        (.email, "a@b@c.com", false), (.email, "joe bloggs@example.com", false), (.email, "joe@exa mple.com", false),
        (.email, "joe@-example.com", false), (.email, "joe@example..com", false), (.email, "joe@example.com.", false),
        (.uri, "https://example.com/a?b=c#d", true), (.uri, "urn:isbn:0451450523", true), (.uri, "mailto:a@b.c", true),
        (.uri, "x+y.z-w:rest", true), (.uri, "/relative/path", false), (.uri, "example.com", false),
        (.uri, "1http://x", false), (.uri, "http:// space.com", false), (.uri, "http://x/<y>", false),
        (.uri, "http://é.com", false), (.uri, "", false),
    ])
    func validity(format: StringFormat, value: String, valid: Bool) {
        #expect(format.isValid(value) == valid)
    }

    @Test func messages() {
        #expect(StringFormat.date.message == "must be a date (YYYY-MM-DD)")
        #expect(StringFormat.dateTime.message == "must be an RFC 3339 date-time")
        #expect(StringFormat.uuid.message == "must be a UUID")
        #expect(StringFormat.email.message == "must be an email address")
        #expect(StringFormat.uri.message == "must be a URI")
        var errors = ValidationErrors()
        StringRules(format: .date).check("2023-02-30", at: FieldPath("day"), errors: &errors)
        #expect(errors.errors == [FieldError(field: "day", message: "must be a date (YYYY-MM-DD)")])
    }
}
