import Testing
@testable import APIRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("RFC 3339")
struct RFC3339Tests {
    @Test(arguments: [
        ("2022-01-23T04:56:07Z", 1_642_913_767.0),
        ("2022-01-23t04:56:07z", 1_642_913_767.0),
        ("2022-01-23T10:26:07+05:30", 1_642_913_767.0),
        ("2022-01-22T20:56:07-08:00", 1_642_913_767.0),
        ("2022-01-23T04:56:07+00:00", 1_642_913_767.0),
        ("2022-01-23T04:56:07-00:00", 1_642_913_767.0),
        ("2022-01-23T04:56:07.5Z", 1_642_913_767.5),
        ("2022-01-23T04:56:07.250000000000000000001Z", 1_642_913_767.25),
        ("1970-01-01T00:00:00Z", 0.0),
        ("1969-12-31T23:59:59Z", -1.0),
        ("2000-02-29T00:00:00Z", 951_782_400.0),
        ("2024-02-29T12:00:00Z", 1_709_208_000.0),
        ("1998-12-31T23:59:60Z", 915_148_800.0),
        ("1998-12-31T15:59:60.000-08:00", 915_148_800.0),
    ])
    func parsesDateTimes(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parseDateTime(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test(arguments: [
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2023-02-30T00:00:00Z", "2023-04-31T00:00:00Z",
        "2023-00-10T00:00:00Z", "2023-13-10T00:00:00Z", "2023-01-00T00:00:00Z", "2023-01-32T00:00:00Z",
        "2023-01-01T24:00:00Z", "2023-01-01T23:60:00Z", "2023-01-01T23:59:61Z",
        "1998-12-31T22:59:60Z", "1998-12-31T23:59:60+01:00",
        "2023-01-01T00:00:00", "2023-01-01 00:00:00Z", "2023-01-01T00:00Z", "2023-1-01T00:00:00Z",
        "2023-01-01T00:00:00.Z", "2023-01-01T00:00:00,5Z", "2023-01-01T00:00:00+05", "2023-01-01T00:00:00+0530",
        "2023-01-01T00:00:00+05:3", "2023-01-01T00:00:00+24:00", "2023-01-01T00:00:00+05:60",
        "2023-01-01T00:00:00Zjunk", "2023-01-01T00:00:00ZZ", " 2023-01-01T00:00:00Z", "", "2023-01-01",
        "２０２３-01-01T00:00:00Z", "+2023-01-01T00:00:00Z",
    ])
    func rejectsInvalidDateTimes(text: String) {
        #expect(RFC3339.parseDateTime(text) == nil)
    }

    @Test func fullDates() {
        #expect(RFC3339.isFullDate("2024-02-29"))
        #expect(RFC3339.isFullDate("2000-02-29"))
        #expect(RFC3339.isFullDate("0001-01-01"))
        #expect(!RFC3339.isFullDate("2100-02-29"))
        #expect(!RFC3339.isFullDate("2023-06-31"))
        #expect(!RFC3339.isFullDate("2023-06-3"))
        #expect(!RFC3339.isFullDate("2023-06-30Z"))
        #expect(RFC3339.parseFullDate("1970-01-02") == Date(timeIntervalSince1970: 86_400))
        #expect(RFC3339.parseFullDate("1970-13-02") == nil)
    }

    @Test(arguments: [
        (1_642_913_767.0, "2022-01-23T04:56:07Z"),
        (1_642_913_767.5, "2022-01-23T04:56:07.5Z"),
        (1_642_913_767.000001, "2022-01-23T04:56:07.000001Z"),
        (951_782_400.0, "2000-02-29T00:00:00Z"),
        (951_868_800.0, "2000-03-01T00:00:00Z"),
        (4_107_542_400.0, "2100-03-01T00:00:00Z"),
        (-86_400.0, "1969-12-31T00:00:00Z"),
        (253_402_300_799.0, "9999-12-31T23:59:59Z"),
        (253_402_300_800.5, "10000-01-01T00:00:00.5Z"),
        (-62_135_683_200.0, "0000-12-31T00:00:00Z"),
        (-62_167_305_600.0, "-0001-12-31T00:00:00Z"),
    ])
    func formats(seconds: Double, text: String) {
        #expect(RFC3339.format(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func extremes() {
        // Proleptic Gregorian (as RFC 3339 and ISO 8601 count), not Julian.
        #expect(RFC3339.parseDateTime("0001-01-01T00:00:00Z") == Date(timeIntervalSince1970: -62_135_596_800))
        #expect(RFC3339.format(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(RFC3339.format(Date.distantFuture) == "4001-01-01T00:00:00Z")
        #expect(RFC3339.parseDateTime("9999-12-31T23:59:59.5Z").map(RFC3339.format) == "9999-12-31T23:59:59.5Z")
        // Beyond Date's precision the fraction is approximate, but never rolls
        // over into year 10000.
        let last = RFC3339.parseDateTime("9999-12-31T23:59:59.999Z").map(RFC3339.format)
        #expect(last?.hasPrefix("9999-12-31T23:59:59.99") == true)
    }

    @Test func roundTripsThroughText() throws {
        for text in ["2022-01-23T04:56:07Z", "2022-01-23T04:56:07.123456Z", "1999-12-31T23:59:59.9Z",
                     "2024-02-29T00:00:00.000001Z", "1600-03-01T12:34:56Z"] {
            let date = try #require(RFC3339.parseDateTime(text))
            #expect(RFC3339.format(date) == text)
        }
        // Offsets are normalised to UTC.
        let offset = try #require(RFC3339.parseDateTime("2022-01-23T00:30:00+01:00"))
        #expect(RFC3339.format(offset) == "2022-01-22T23:30:00Z")
    }

    @Test func civilArithmeticAgreesBothWays() {
        // Every day from 1899 to 2101, through both conversions.
        var days = RFC3339.days(fromCivilYear: 1899, month: 1, day: 1)
        var mismatches = 0
        for year in Int64(1899)...2101 {
            for month in 1...12 {
                for day in 1...RFC3339.daysInMonth(year: Int(year), month: month) {
                    if RFC3339.days(fromCivilYear: year, month: month, day: day) != days { mismatches += 1 }
                    let civil = RFC3339.civil(fromDays: days)
                    if civil.year != year || civil.month != month || civil.day != day { mismatches += 1 }
                    days += 1
                }
            }
        }
        #expect(mismatches == 0)
        #expect(RFC3339.days(fromCivilYear: 1970, month: 1, day: 1) == 0)
        #expect(RFC3339.days(fromCivilYear: 2000, month: 3, day: 1) == 11_017)
    }

    @Test func substringsWork() {
        let text = "[2022-01-23T04:56:07Z]"
        let inner = text.dropFirst().dropLast()
        #expect(RFC3339.parseDateTime(inner) == Date(timeIntervalSince1970: 1_642_913_767))
        #expect(RFC3339.isFullDate("x2022-01-23".dropFirst()))
    }
}
