import Testing
@testable import APIRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Inputs found with the request parsers' fuzz target
/// (Fuzz/RequestParsersFuzzer, run by scripts/fuzz) that broke one of the
/// rules it checks, kept as tests.
@Suite struct RequestFuzzRegressionTests {
    /// A parsed date-time must format as one that parses again. In year 9999
    /// a Date is only precise to 2^-15 s, so `.999999` rounded up into
    /// 10000-01-01, which `format` writes as `10000-01-01T00:00:00Z`: not
    /// RFC 3339, and refused when a client sends it back. It is now the
    /// latest Date before year 10000.
    @Test func lastMicrosecondOfYear9999StaysInIt() throws {
        let date = try #require(RFC3339.parseDateTime("9999-12-31T23:59:59.999999Z"))
        let text = RFC3339.format(date)
        #expect(text.hasPrefix("9999-12-31T23:59:59.99"))
        #expect(RFC3339.parseDateTime(text) != nil)
    }

    /// An offset or a leap second can carry the instant out of the years
    /// 0000-9999 in UTC, which no response could write back: refused.
    @Test(arguments: [
        "0000-01-01T00:00:00+00:01", "0000-01-01T00:59:59.9+01:00",
        "9999-12-31T23:59:59-00:01", "9999-12-31T23:00:00-01:00", "9999-12-31T23:59:60Z",
    ])
    func instantsOutsideTheYearsAreRefused(text: String) {
        #expect(RFC3339.parseDateTime(text) == nil)
    }

    /// The edges themselves are fine and format as they were written.
    @Test(arguments: [
        "0000-01-01T00:00:00Z", "0000-01-01T01:00:00+01:00", "9999-12-31T23:59:59Z",
        "9999-12-31T22:59:59-01:00", "9999-12-31T23:59:59.5Z",
    ])
    func edgesOfTheYearsParse(text: String) throws {
        let date = try #require(RFC3339.parseDateTime(text))
        #expect(RFC3339.parseDateTime(RFC3339.format(date)) == date)
    }
}
