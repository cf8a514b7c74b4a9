#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// RFC 3339 dates and date-times, by hand.
///
/// Formatters are slow, locale-sensitive and not needed: the grammar is
/// fixed-width, and calendar arithmetic is Howard Hinnant's days-from-civil
/// algorithm on the proleptic Gregorian calendar.
public enum RFC3339 {
    /// Seconds from 1970-01-01 (Unix epoch) to 2001-01-01 (`Date`'s reference).
    static let unixToReferenceDate: Int64 = 978_307_200

    /// Parses an internet date-time: `2022-01-23T04:56:07Z`,
    /// `2022-01-23t04:56:07.123456789+05:30`, … (`T`/`t`, `Z`/`z` or a
    /// `±hh:mm` offset, fractional seconds of any length). Rejects impossible
    /// dates (`2023-02-30`), hours above 23 and a leap second (`:60`) that is
    /// not 23:59:60 in UTC, and instants outside the years 0000-9999 in UTC
    /// (`0000-01-01T00:00:00+01:00`). Nil when invalid.
    public static func parseDateTime(_ text: some StringProtocol) -> Date? {
        text.withUTF8Buffer { parseDateTime(bytes: $0) }
    }

    /// Whether `text` is an RFC 3339 full-date (`YYYY-MM-DD`, a real day).
    public static func isFullDate(_ text: some StringProtocol) -> Bool {
        text.withUTF8Buffer { parseFullDate(bytes: $0) != nil }
    }

    /// The start (00:00:00 UTC) of the full-date `text`, or nil when `text`
    /// is not a valid `YYYY-MM-DD`.
    public static func parseFullDate(_ text: some StringProtocol) -> Date? {
        text.withUTF8Buffer { bytes in
            parseFullDate(bytes: bytes).map { date(days: $0, secondsOfDay: 0, nanoseconds: 0) }
        }
    }

    /// `date` in UTC as `2022-01-23T04:56:07Z`, with a fractional part only
    /// when the date has one (microsecond precision, trailing zeros trimmed:
    /// `…07.5Z`).
    public static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        write(date, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Internals shared with the writer and the decoders

    static func write(_ date: Date, into bytes: inout [UInt8]) {
        // Clamp far outside years 0...9999 so the integer maths cannot trap.
        var reference = min(max(date.timeIntervalSinceReferenceDate, -1e14), 1e14)
        if !reference.isFinite { reference = 0 }
        // Split before scaling: `reference - whole` is exact, so far-off years
        // lose no more precision than `Date` itself has.
        let whole = reference.rounded(.down)
        var referenceSeconds = Int64(whole)
        var micro = Int64(((reference - whole) * 1_000_000).rounded())
        if micro == 1_000_000 {
            referenceSeconds += 1
            micro = 0
        }
        let unix = referenceSeconds + unixToReferenceDate
        let days = floorDivide(unix, 86_400)
        let secondOfDay = Int(unix - days * 86_400)
        let (year, month, day) = civil(fromDays: days)
        // Years 0...9999 (every real timestamp) take the fixed-width fast path.
        guard (0...9999).contains(year) else {
            writeSlowly(year: year, month: month, day: day, secondOfDay: secondOfDay, micro: Int(micro), into: &bytes)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 28) { text in
            func put(_ value: Int, _ width: Int, at position: Int) {
                var remaining = value
                for offset in stride(from: position + width - 1, through: position, by: -1) {
                    text[offset] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
                    remaining /= 10
                }
            }
            put(Int(year), 4, at: 0)
            text[4] = UInt8(ascii: "-")
            put(month, 2, at: 5)
            text[7] = UInt8(ascii: "-")
            put(day, 2, at: 8)
            text[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, 2, at: 11)
            text[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, 2, at: 14)
            text[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, 2, at: 17)
            var length = 19
            if micro != 0 {
                var fraction = Int(micro)
                var digits = 6
                while fraction % 10 == 0 {
                    fraction /= 10
                    digits -= 1
                }
                text[19] = UInt8(ascii: ".")
                put(fraction, digits, at: 20)
                length = 20 + digits
            }
            text[length] = UInt8(ascii: "Z")
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<(length + 1)]))
        }
    }

    /// Years outside 0...9999 (not RFC 3339, but never lose them): a sign
    /// and as many digits as needed.
    private static func writeSlowly(
        year: Int64, month: Int, day: Int, secondOfDay: Int, micro: Int, into bytes: inout [UInt8]
    ) {
        if year < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(Int(year.magnitude), count: 4, into: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, count: 2, into: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, count: 2, into: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, count: 2, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, into: &bytes)
        if micro != 0 {
            var fraction = micro
            var digits = 6
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            bytes.append(UInt8(ascii: "."))
            appendDigits(fraction, count: digits, into: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    static func parseDateTime(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        // YYYY-MM-DDThh:mm:ss is 19 bytes; then fraction, then Z or ±hh:mm.
        guard bytes.count >= 20, let days = parseFullDate(bytes: UnsafeBufferPointer(rebasing: bytes[0..<10])) else {
            return nil
        }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = twoDigits(bytes, 11), hour <= 23,
              let minute = twoDigits(bytes, 14), minute <= 59,
              let second = twoDigits(bytes, 17), second <= 60
        else { return nil }
        var index = 19
        var nanoseconds = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            var scale = 100_000_000
            while index < bytes.count, let value = digit(bytes[index]) {
                // Digits beyond nanoseconds are valid but below Date's precision.
                nanoseconds += value * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let offsetHour = twoDigits(bytes, index + 1), offsetHour <= 23,
                  let offsetMinute = twoDigits(bytes, index + 4), offsetMinute <= 59
            else { return nil }
            offsetMinutes = offsetHour * 60 + offsetMinute
            if bytes[index] == UInt8(ascii: "-") { offsetMinutes = -offsetMinutes }
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        if second == 60 {
            // A leap second exists only at the end of a UTC day.
            let utcMinuteOfDay = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            guard utcMinuteOfDay == 23 * 60 + 59 else { return nil }
        }
        let secondsOfDay = hour * 3600 + minute * 60 + second - offsetMinutes * 60
        // RFC 3339 in UTC, as `format` writes it, has the years 0000-9999
        // only: an offset or a leap second that carries the instant out of
        // them makes a date-time no response could give back.
        let unix = days * 86_400 + Int64(secondsOfDay)
        guard unix >= firstUnixSecond && unix < endUnixSecond else { return nil }
        let date = date(days: days, secondsOfDay: secondsOfDay, nanoseconds: nanoseconds)
        // Date's precision in year 9999 is 2^-15 s: `23:59:59.99999…` rounds
        // up into year 10000; it is the latest Date before it instead.
        let end = Double(endUnixSecond - unixToReferenceDate)
        if date.timeIntervalSinceReferenceDate >= end { return Date(timeIntervalSinceReferenceDate: end.nextDown) }
        return date
    }

    /// 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in seconds from the
    /// Unix epoch: the range of a date-time.
    static let firstUnixSecond = days(fromCivilYear: 0, month: 1, day: 1) * 86_400
    static let endUnixSecond = days(fromCivilYear: 10_000, month: 1, day: 1) * 86_400

    /// Days since 1970-01-01 of a valid `YYYY-MM-DD`, or nil.
    static func parseFullDate(bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let high = twoDigits(bytes, 0), let low = twoDigits(bytes, 2),
              let month = twoDigits(bytes, 5), (1...12).contains(month),
              let day = twoDigits(bytes, 8), day >= 1
        else { return nil }
        let year = high * 100 + low
        guard day <= daysInMonth(year: year, month: month) else { return nil }
        return days(fromCivilYear: Int64(year), month: month, day: day)
    }

    static func date(days: Int64, secondsOfDay: Int, nanoseconds: Int) -> Date {
        let unix = days * 86_400 + Int64(secondsOfDay)
        let reference = Double(unix - unixToReferenceDate) + Double(nanoseconds) / 1e9
        return Date(timeIntervalSinceReferenceDate: reference)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date.
    static func days(fromCivilYear year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? Int(value) : nil
    }

    @inline(__always)
    private static func twoDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int? {
        guard let tens = digit(bytes[index]), let ones = digit(bytes[index + 1]) else { return nil }
        return tens * 10 + ones
    }

    /// Appends `value` in decimal, left-padded with zeros to `count` digits.
    static func appendDigits(_ value: Int, count: Int, into bytes: inout [UInt8]) {
        var digits = 1
        var limit = 10
        while value >= limit && digits < 19 {
            digits += 1
            limit &*= 10
        }
        let width = max(count, digits)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var remaining = value
        var position = start + width - 1
        while remaining > 0 {
            bytes[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            position -= 1
        }
    }
}
