// A libFuzzer target for what parses a request's bytes: the JSON parser and
// writer, the generated decoders of Tessera's schemas (Generated/Types.swift),
// query strings and parameter text, RFC 3339 dates, UUIDs, JSON number
// literals, string formats, and token secrets.
//
// Not part of the package: it needs `-sanitize=fuzzer`, so `scripts/fuzz`
// compiles it with APIRuntime, TesseraCore and Generated/Types.swift into
// .build-fuzz/ (`FUZZ_TARGET=requests`). See README, "The tests".
//
// The first byte picks the parser; the rest of the input is what it gets.
// The letters below are what the seeds (Fuzz/seeds-requests/) start with;
// any other byte picks `Parser.allCases[byte % count]`, so every byte
// reaches a parser. A body (`b`) has a second byte that picks the schema,
// `A` + its index in `schemas`.
//
// Besides "no crash", each parser is held to what must be true of its
// result: JSON that parses is written back by JSONWriter and parses to an
// equal value; a decoded schema encodes to JSON that decodes again (to the
// same bytes when no date is too far from 2001 for microseconds); a
// formatted date parses back to itself; a parsed UUID or secret is the
// input; the query parser agrees with a naive one; integer and number
// parsing agree with the standard library. A broken rule is a fatalError,
// which libFuzzer reports as a crash.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import APIRuntime
import TesseraAPI
import TesseraCore

enum Parser: CaseIterable {
    case json, body, query, parameter, date, uuid, secret, number, format

    init(selector: UInt8) {
        switch selector {
        case UInt8(ascii: "j"): self = .json
        case UInt8(ascii: "b"): self = .body
        case UInt8(ascii: "q"): self = .query
        case UInt8(ascii: "p"): self = .parameter
        case UInt8(ascii: "d"): self = .date
        case UInt8(ascii: "u"): self = .uuid
        case UInt8(ascii: "s"): self = .secret
        case UInt8(ascii: "n"): self = .number
        case UInt8(ascii: "f"): self = .format
        default: self = Self.allCases[Int(selector) % Self.allCases.count]
        }
    }
}

/// `FUZZ_PRINT=1 scripts/fuzz run FILE` prints the parser an input goes to
/// and, for a body, what decoding it gave.
let printOutcome = getenv("FUZZ_PRINT") != nil

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let parser = Parser(selector: data[0])
    if printOutcome { print("parser: \(parser), \(bytes.count) bytes") }
    switch parser {
    case .json: fuzzJSON(bytes)
    case .body: fuzzBody(bytes)
    case .query: fuzzQuery(text(bytes))
    case .parameter: fuzzParameter(text(bytes))
    case .date: fuzzDate(text(bytes))
    case .uuid: fuzzUUID(bytes)
    case .secret: fuzzSecret(bytes)
    case .number: fuzzNumber(bytes)
    case .format: fuzzFormat(text(bytes))
    }
    return 0
}

/// The bytes as the server sees text: invalid UTF-8 repaired (U+FFFD).
func text(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError(message()) }
}

// MARK: - JSON

func fuzzJSON(_ bytes: [UInt8]) {
    let json: JSON
    do {
        json = try JSON.parse(bytes)
    } catch {
        check(error.offset >= 0 && error.offset <= bytes.count && error.line >= 1 && error.column >= 1
              && !error.reason.isEmpty, "error outside the input: \(error)")
        return
    }
    let written = write(json)
    let again: JSON
    do {
        again = try JSON.parse(written)
    } catch {
        fatalError("JSONWriter's output does not parse: \(error); output \(String(decoding: written, as: UTF8.self))")
    }
    check(again == json, "the written JSON parses to another value: \(String(decoding: written, as: UTF8.self))")
    check(write(again) == written, "writing is not stable: \(String(decoding: written, as: UTF8.self))")
    var budget = 256
    checkNumbers(in: json, budget: &budget)
}

func write(_ json: JSON) -> [UInt8] {
    var writer = JSONWriter(capacity: 64)
    writer.raw(json)
    return writer.bytes
}

/// Checks the numbers of `json` (at most `budget` of them) with `checkNumber`.
func checkNumbers(in json: JSON, budget: inout Int) {
    guard budget > 0 else { return }
    switch json {
    case .number(let number):
        budget -= 1
        check(JSONNumber(literal: number.literal) == number, "the parser accepted the literal \(number.literal), JSONNumber does not")
        checkNumber(number)
    case .array(let elements):
        for element in elements { checkNumbers(in: element, budget: &budget) }
    case .object(let object):
        for entry in object.entries { checkNumbers(in: entry.value, budget: &budget) }
    case .null, .bool, .string:
        break
    }
}

/// `JSONNumber.int` (exact decimal arithmetic) against the standard
/// library's correctly rounded `Double(String)` and `Int(String)`.
func checkNumber(_ number: JSONNumber) {
    let literal = number.literal
    let double = Double(literal) ?? .nan
    check(!double.isNaN, "Double cannot read the literal \(literal)")
    var errors = ValidationErrors()
    let decoded = Int(json: .number(number), path: .root, errors: &errors)
    check(decoded == number.int, "Int(json:) and JSONNumber.int differ for \(literal)")
    if let int = decoded {
        // The literal's exact value is `int`: both round it the same way.
        check(double == Double(int), "\(literal) is the integer \(int), but Double reads \(double)")
        check(errors.isEmpty, "errors for a decoded integer \(literal)")
    } else {
        check(errors.count == 1, "\(literal) did not decode as an integer, with \(errors.count) errors")
        if errors.errors.first?.message == "is out of range" {
            // An integer beyond Int: at least 2^63 in magnitude.
            check(double.magnitude >= 0x1p63, "\(literal) is out of range, but Double reads \(double)")
        } else {
            check(!isPlainInteger(literal), "the integer \(literal) is said not to be one")
        }
    }
    if isPlainInteger(literal) {
        check(Int(literal) == number.int, "Int(\"\(literal)\") differs from JSONNumber.int")
    }
}

/// `-?[0-9]+`.
func isPlainInteger(_ text: String) -> Bool {
    let digits = text.utf8.first == UInt8(ascii: "-") ? text.utf8.dropFirst() : text.utf8[...]
    return !digits.isEmpty && digits.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
}

// MARK: - Numbers

/// `JSONNumber(literal:)` against a grammar written another way, then the
/// number checks on what it accepts.
func fuzzNumber(_ bytes: [UInt8]) {
    let literal = text(bytes)
    let number = JSONNumber(literal: literal)
    let valid = bytes.elementsEqual(literal.utf8) && isNumberLiteral(bytes[...])
    check((number != nil) == valid, "JSONNumber(literal:) is \(number == nil ? "nil" : "not nil") for \(literal)")
    if let number {
        checkNumber(number)
        check(Double(parameterValue: Substring(literal)).map { $0 == number.double } ?? !number.double.isFinite,
              "Double(parameterValue:) and JSONNumber.double differ for \(literal)")
    }
}

/// RFC 8259: `-? int frac? exp?` with `int = 0 | [1-9][0-9]*`, split on the
/// `e` and the `.` instead of scanned.
func isNumberLiteral(_ bytes: ArraySlice<UInt8>) -> Bool {
    func isDigits(_ part: ArraySlice<UInt8>) -> Bool {
        !part.isEmpty && part.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }
    var rest = bytes
    if rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
    let exponentStart = rest.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    let mantissa = rest[..<(exponentStart ?? rest.endIndex)]
    let parts = mantissa.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
    guard let integer = parts.first, isDigits(integer), integer.count == 1 || integer.first != UInt8(ascii: "0") else {
        return false
    }
    if parts.count == 2, !isDigits(parts[1]) { return false }
    if let exponentStart {
        var exponent = rest[(exponentStart + 1)...]
        if exponent.first == UInt8(ascii: "+") || exponent.first == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
        return isDigits(exponent)
    }
    return true
}

// MARK: - Generated schemas

/// Every schema with a decoder, request bodies first.
let schemas: [(name: String, check: @Sendable (JSON) -> Void)] = [
    ("CreateTokenRequest", roundTrip(Schemas.CreateTokenRequest.self)),
    ("UpdateTokenRequest", roundTrip(Schemas.UpdateTokenRequest.self)),
    ("CreateUserRequest", roundTrip(Schemas.CreateUserRequest.self)),
    ("CreateServiceUserRequest", roundTrip(Schemas.CreateServiceUserRequest.self)),
    ("SettingsPatch", roundTrip(Schemas.SettingsPatch.self)),
    ("ExchangeTokenRequest", roundTrip(Schemas.ExchangeTokenRequest.self)),
    ("Error", roundTrip(Schemas.Error.self)),
    ("FieldError", roundTrip(Schemas.FieldError.self)),
    ("Health", roundTrip(Schemas.Health.self)),
    ("Token", roundTrip(Schemas.Token.self)),
    ("PaginatedTokensList", roundTrip(Schemas.PaginatedTokensList.self)),
    ("CreatedToken", roundTrip(Schemas.CreatedToken.self)),
    ("User", roundTrip(Schemas.User.self)),
    ("PaginatedUsersList", roundTrip(Schemas.PaginatedUsersList.self)),
    ("ServiceUser", roundTrip(Schemas.ServiceUser.self)),
    ("PaginatedServiceUsersList", roundTrip(Schemas.PaginatedServiceUsersList.self)),
    ("Identity", roundTrip(Schemas.Identity.self)),
    ("SelfResponse", roundTrip(Schemas.SelfResponse.self)),
    ("Settings", roundTrip(Schemas.Settings.self)),
    ("AccessToken", roundTrip(Schemas.AccessToken.self)),
    ("Event", roundTrip(Schemas.Event.self)),
    ("SubEvent", roundTrip(Schemas.SubEvent.self)),
    ("PaginatedEventList", roundTrip(Schemas.PaginatedEventList.self)),
    // The standard types Tessera's schemas do not use yet (maps, other
    // number types, schema-less values), as generated code would nest them.
    ("[String: [Int32?]]", roundTrip([String: [Int32?]].self)),
    ("[String: Double]", roundTrip([String: Double].self)),
    ("[Int64]", roundTrip([Int64].self)),
    ("[Float?]", roundTrip([Float?].self)),
    ("[Date?]", roundTrip([Date?].self)),
    ("[String: JSON]", roundTrip([String: JSON].self)),
]

/// A body as `APIRequest.jsonBody` reads it: parsed, then decoded as the
/// schema the second byte picks.
func fuzzBody(_ bytes: [UInt8]) {
    guard let selector = bytes.first else { return }
    let schema = schemas[Int(selector &- UInt8(ascii: "A")) % schemas.count]
    let json: JSON
    do {
        json = try JSON.parse(Array(bytes.dropFirst()))
    } catch {
        if printOutcome { print("\(schema.name): not JSON: \(error)") }
        return
    }
    schema.check(json)
}

/// Decodes `json` as `T`; a value must encode to JSON that decodes again,
/// with no errors, to an equal value or one that re-encodes to the same
/// bytes (dates lose their nanoseconds once; maps change their order).
func roundTrip<T: JSONDecodable & JSONEncodable & Equatable>(_ type: T.Type) -> @Sendable (JSON) -> Void {
    { json in
        var errors = ValidationErrors()
        guard let value = T(json: json, path: .root, errors: &errors) else {
            if printOutcome { print("\(T.self): refused: \(errors.errors)") }
            check(!errors.isEmpty, "\(T.self) refused a body without saying why")
            return
        }
        if printOutcome { print("\(T.self): decoded") }
        check(errors.isEmpty, "\(T.self) decoded despite errors \(errors.errors)")
        let encoded = encode(value)
        guard let json = try? JSON.parse(encoded) else {
            fatalError("\(T.self) encodes to invalid JSON: \(String(decoding: encoded, as: UTF8.self))")
        }
        var again = ValidationErrors()
        guard let decoded = T(json: json, path: .root, errors: &again) else {
            fatalError("\(T.self) encodes to a body it refuses (\(again.errors)): \(String(decoding: encoded, as: UTF8.self))")
        }
        // Dates are written to the microsecond; `Date` (a Double) keeps
        // microseconds only within about 68 years of 2001.
        if decoded != value && encode(decoded) != encoded && hasOnlyPreciseDates(json) {
            fatalError("\(T.self) does not encode the same after a round trip: \(String(decoding: encoded, as: UTF8.self))")
        }
    }
}

func encode(_ value: some JSONEncodable) -> [UInt8] {
    var writer = JSONWriter(capacity: 256)
    value.encode(to: &writer)
    return writer.bytes
}

func hasOnlyPreciseDates(_ json: JSON) -> Bool {
    switch json {
    case .string(let text):
        guard let date = RFC3339.parseDateTime(text) else { return true }
        return isPrecise(date)
    case .array(let elements):
        return elements.allSatisfy(hasOnlyPreciseDates)
    case .object(let object):
        return object.entries.allSatisfy { hasOnlyPreciseDates($0.value) }
    case .null, .bool, .number:
        return true
    }
}

/// Whether `date` is close enough to 2001 for its Double to keep microseconds
/// (an ulp of at most 2^-22 s).
func isPrecise(_ date: Date) -> Bool {
    date.timeIntervalSinceReferenceDate.magnitude < 0x1p31
}

// MARK: - Query strings and parameters

/// A query as `APIRequest` splits it, checked against a naive split, then
/// every parameter of Tessera's operations read from it as the generated
/// routes do (Generated/Server.swift), and every name as every type.
func fuzzQuery(_ query: String) {
    let parameters = QueryParameters(query: query)
    // The query is bytes: split on the bytes `&` and `=` (not Characters,
    // which a combining mark after `&` would merge with it).
    var expected: [(name: String, value: String)] = []
    for part in Array(query.utf8).split(separator: UInt8(ascii: "&")) {
        if let equals = part.firstIndex(of: UInt8(ascii: "=")) {
            expected.append((formDecoded(part[..<equals]), formDecoded(part[(equals + 1)...])))
        } else {
            expected.append((formDecoded(part), ""))
        }
    }
    var names: [String] = []
    for pair in expected where !names.contains(pair.name) { names.append(pair.name) }
    check(parameters.names == names, "query names \(parameters.names), expected \(names)")
    check(parameters.isEmpty == expected.isEmpty, "isEmpty is wrong")
    for name in names {
        let values = parameters.values(name).map(String.init)
        check(values == expected.filter { $0.name == name }.map(\.value), "the values of \(name) are wrong: \(values)")
        check(parameters.first(name).map(String.init) == values.first, "first(\(name)) is not the first value")
        check(parameters.items(name, explode: true).map(String.init) == values, "exploded items are not the values")
        // Without escapes, no comma is decoded: the items are the value's parts.
        if !query.utf8.contains(UInt8(ascii: "%")) {
            let items = parameters.items(name, explode: false)
            check(items.joined(separator: ",") == values[0], "the items of \(name) do not make up its value")
        }
    }

    var errors = ValidationErrors()
    // The operations' own parameters.
    for name in ["cursor", "email", "event_type_filter", "api_token_filter"] {
        _ = scalar(String.self, parameters.first(name), name, &errors)
    }
    for name in ["user_id", "actor_filter", "object_filter"] {
        _ = scalar(UUID.self, parameters.first(name), name, &errors)
    }
    if let pageSize = scalar(Int.self, parameters.first("page_size"), "page_size", &errors) ?? nil {
        pageSizeRules.check(pageSize, at: FieldPath("page_size"), errors: &errors)
    }
    if let ids = array(UUID.self, parameters.items("token_ids", explode: false), "token_ids", &errors) ?? nil {
        idsRules.check(ids, at: FieldPath("token_ids"), errors: &errors)
    }
    _ = array(UUID.self, parameters.items("tag_ids", explode: true), "tag_ids", &errors)
    // TokenService.instant: a full-date or a date-time.
    for name in ["start_date_filter", "end_date_filter"] {
        if let text = parameters.first(name) {
            if text.utf8.count == 10 { _ = RFC3339.parseFullDate(text) } else { _ = RFC3339.parseDateTime(text) }
        }
    }
    // Every name, as every type, scalar and array.
    for name in names.prefix(8) {
        decodeAsEveryType(scalar: parameters.first(name), items: parameters.items(name, explode: false), name: name)
    }
}

let pageSizeRules = IntegerRules(minimum: 1, maximum: 1000)
let idsRules = ArrayRules(minItems: 1)

/// `+` as a space and `%XX` decoded, written without QueryParameters.
func formDecoded(_ bytes: ArraySlice<UInt8>) -> String {
    let spaced = bytes.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }
    return percentDecoded(text(spaced)[...], plusAsSpace: false)
}

/// `ParameterDecoding.scalar`, checked: nil exactly when it reported an error.
func scalar<T: ParameterDecodable>(_ type: T.Type, _ raw: Substring?, _ name: String, _ errors: inout ValidationErrors) -> T?? {
    let before = errors.count
    let value = ParameterDecoding.scalar(T.self, raw, name: name, required: false, errors: &errors)
    check((value == nil) == (errors.count > before), "scalar \(T.self) \(name): nil and errors disagree")
    return value
}

/// `ParameterDecoding.array(items:)`, checked the same way.
func array<T: ParameterDecodable>(_ type: T.Type, _ items: [Substring], _ name: String, _ errors: inout ValidationErrors) -> [T]?? {
    let before = errors.count
    let value = ParameterDecoding.array(T.self, items: items, name: name, required: false, errors: &errors)
    check((value == nil) == (errors.count > before), "array \(T.self) \(name): nil and errors disagree")
    if let decoded = value ?? nil { check(decoded.count == items.count, "array \(T.self) lost items") }
    return value
}

func decodeAsEveryType(scalar raw: Substring?, items: [Substring], name: String) {
    var errors = ValidationErrors()
    func both<T: ParameterDecodable>(_ type: T.Type) {
        _ = scalar(T.self, raw, name, &errors)
        _ = array(T.self, items, name, &errors)
    }
    both(String.self)
    both(Bool.self)
    both(Int.self)
    both(Int32.self)
    both(Int64.self)
    both(Double.self)
    both(Float.self)
    both(UUID.self)
    both(Date.self)
    both(Schemas.ApiAccessLevelEnum.self)
}

/// One parameter's text, as a path segment or header carries it: percent-
/// decoded without `+`, then read as every type, and as a comma-separated
/// array; the standard library's integer parser must agree.
func fuzzParameter(_ raw: String) {
    let text = percentDecoded(raw[...], plusAsSpace: false)
    if !raw.utf8.contains(UInt8(ascii: "%")) {
        check(text == raw, "percentDecoded changed text without a %")
    }
    // Every byte escaped, either case, decodes back to the text.
    var escaped = ""
    for (index, byte) in raw.utf8.enumerated() {
        escaped += "%" + String(byte, radix: 16, uppercase: index % 2 == 0).leftPadded(to: 2)
    }
    check(percentDecoded(escaped[...], plusAsSpace: true) == raw, "escaping every byte does not decode back: \(raw)")

    let value = text[...]
    decodeAsEveryType(scalar: value, items: value.split(separator: ",", omittingEmptySubsequences: false), name: "p")
    var errors = ValidationErrors()
    let array = ParameterDecoding.array(Int.self, commaSeparated: value, name: "ids", required: true, errors: &errors)
    check((array == nil) == !errors.isEmpty, "array(commaSeparated:): nil and errors disagree")

    // Integers: `-?[0-9]+`, leading zeros allowed, no `+`.
    if value.utf8.first != UInt8(ascii: "+") {
        check(Int(parameterValue: value) == Int(value), "Int(parameterValue:) and Int(_:) differ for \(value)")
        check(Int64(parameterValue: value) == Int64(value), "Int64(parameterValue:) and Int64(_:) differ for \(value)")
        check(Int32(parameterValue: value) == Int32(value), "Int32(parameterValue:) and Int32(_:) differ for \(value)")
    } else {
        check(Int(parameterValue: value) == nil, "Int(parameterValue:) accepts a +")
    }
    if Int(parameterValue: value) == nil {
        let message = Int.parameterErrorMessage(for: value)
        check((message == "is out of range") == isPlainInteger(String(value)), "Int's message for \(value) is \(message)")
    }
    if let double = Double(parameterValue: value) {
        check(isNumberLiteral(Array(value.utf8)[...]) && double == Double(value), "Double(parameterValue:) accepted \(value)")
    }
}

extension String {
    func leftPadded(to count: Int) -> String {
        String(repeating: "0", count: max(0, count - utf8.count)) + self
    }
}

// MARK: - Dates

func fuzzDate(_ text: String) {
    let utf8 = Array(text.utf8)
    if let day = RFC3339.parseFullDate(text) {
        check(RFC3339.isFullDate(text), "parseFullDate and isFullDate disagree on \(text)")
        check(RFC3339.format(day) == text + "T00:00:00Z", "the full-date \(text) formats as \(RFC3339.format(day))")
        check(RFC3339.parseDateTime(text + "T00:00:00Z") == day, "\(text) and its midnight differ")
    } else {
        check(!RFC3339.isFullDate(text), "parseFullDate and isFullDate disagree on \(text)")
    }
    guard let date = RFC3339.parseDateTime(text) else { return }
    check(utf8.count >= 20, "a date-time shorter than 20 bytes: \(text)")
    check(RFC3339.isFullDate(String(decoding: utf8[..<10], as: UTF8.self)), "a date-time without a full-date: \(text)")
    check(StringFormat.dateTime.isValid(text), "StringFormat.dateTime refuses \(text)")

    // Formatting rounds to the microsecond, then parsing to the Double.
    let formatted = RFC3339.format(date)
    guard let again = RFC3339.parseDateTime(formatted) else {
        fatalError("\(text) formats as \(formatted), which does not parse")
    }
    let seconds = date.timeIntervalSinceReferenceDate
    check((again.timeIntervalSinceReferenceDate - seconds).magnitude <= 0.5e-6 + 2 * seconds.ulp,
          "\(text) formats as \(formatted), which is \(again.timeIntervalSinceReferenceDate - seconds) s off")
    check(RFC3339.format(again) == formatted || !isPrecise(date), "formatting \(text) is not stable: \(formatted), \(RFC3339.format(again))")

    // Text in the form `format` writes must come back unchanged.
    let end = utf8.count - 1
    var canonical = utf8
    if canonical[10] == UInt8(ascii: "t") { canonical[10] = UInt8(ascii: "T") }
    if canonical[end] == UInt8(ascii: "z") { canonical[end] = UInt8(ascii: "Z") }
    let fraction = utf8.count > 21 ? utf8[20..<end] : []
    if canonical[end] == UInt8(ascii: "Z"), utf8[17] != UInt8(ascii: "6"),
       utf8.count == 20 || (utf8[19] == UInt8(ascii: ".") && fraction.count <= 6 && fraction.last != UInt8(ascii: "0") && isPrecise(date)) {
        check(formatted.utf8.elementsEqual(canonical), "\(text) formats as \(formatted)")
    }

    // An offset is the same instant as the UTC text minus the offset.
    if let sign = utf8[utf8.count - 6] == UInt8(ascii: "+") ? 1.0 : utf8[utf8.count - 6] == UInt8(ascii: "-") ? -1.0 : nil,
       utf8[utf8.count - 3] == UInt8(ascii: ":"),
       let hours = Int(String(decoding: utf8[(utf8.count - 5)...].prefix(2), as: UTF8.self)),
       let minutes = Int(String(decoding: utf8.suffix(2), as: UTF8.self)),
       let utc = RFC3339.parseDateTime(String(decoding: utf8.prefix(utf8.count - 6), as: UTF8.self) + "Z") {
        let offset = sign * Double(hours * 3600 + minutes * 60)
        let expected = utc.timeIntervalSinceReferenceDate - offset
        check((expected - seconds).magnitude <= 2 * seconds.ulp + 2 * expected.ulp, "\(text) is \(seconds), expected \(expected)")
    }
}

// MARK: - UUIDs

func fuzzUUID(_ bytes: [UInt8]) {
    let text = text(bytes)
    let uuid = UUIDText.parse(text)
    // The grammar, written another way.
    let hyphens: Set = [8, 13, 18, 23]
    let valid = bytes.count == 36 && bytes.enumerated().allSatisfy { index, byte in
        hyphens.contains(index) ? byte == UInt8(ascii: "-") : Character(Unicode.Scalar(byte)).isHexDigit && byte < 0x80
    }
    check((uuid != nil) == valid, "UUIDText.parse is \(uuid == nil ? "nil" : "not nil") for \(text)")
    guard let uuid else { return }
    check(UUIDText.string(uuid) == text.lowercased(), "\(text) parses to \(UUIDText.string(uuid))")
    check(UUIDText.string(uuid) == uuid.uuidString.lowercased(), "UUIDText and Foundation differ on \(text)")
    check(UUID(parameterValue: text[...]) == uuid && StringFormat.uuid.isValid(text), "the other UUID entry points differ on \(text)")
}

// MARK: - Secrets

/// The input as a secret, then its first 36 bytes with the checksum that
/// matches them, so the accepting path is reached too.
func fuzzSecret(_ bytes: [UInt8]) {
    checkSecret(text(bytes))
    guard bytes.count >= TokenSecret.length - TokenSecret.checksumLength else { return }
    let body = Array(bytes.prefix(TokenSecret.length - TokenSecret.checksumLength))
    checkSecret(text(body) + Base62.encode(CRC32.checksum(body), width: TokenSecret.checksumLength))
}

func checkSecret(_ text: String) {
    let secret = TokenSecret(parsing: text)
    let bytes = Array(text.utf8)
    let base62 = Set(Base62.alphabet.utf8)
    // The format, written another way.
    let kind = TokenKind.allCases.first { text.hasPrefix($0.rawValue + "_") }
    let valid = bytes.count == TokenSecret.length && kind != nil && bytes[4...].allSatisfy(base62.contains)
        && String(decoding: bytes[36...], as: UTF8.self) == Base62.encode(CRC32.checksum(bytes[..<36]), width: 6)
    check((secret != nil) == valid, "TokenSecret(parsing:) is \(secret == nil ? "nil" : "not nil") for \(text)")
    check(TokenSecret(parsing: text[...]) == secret, "a Substring parses differently")
    guard let secret else { return }
    check(secret.text == text && secret.kind == kind, "\(text) parses as \(secret.kind) \(secret.text)")
    check(secret.description == "\(secret.kind.rawValue)_…\(text.suffix(5))", "the description shows \(secret.description)")
    check(Base62.decode(text.suffix(6)) == UInt64(CRC32.checksum(bytes[..<36])), "Base62.decode misreads the checksum")
}

// MARK: - String formats

func fuzzFormat(_ text: String) {
    for format in [StringFormat.date, .dateTime, .uuid, .email, .uri] {
        let valid = format.isValid(text)
        switch format {
        case .email:
            if valid {
                let parts = Array(text.utf8).split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
                check(parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty, "\(text) is not local@domain")
            }
        case .uri:
            if valid { check(text.utf8.contains(UInt8(ascii: ":")) && !text.utf8.contains(0x20), "\(text) is not a URI") }
        case .date:
            check(valid == (RFC3339.parseFullDate(text) != nil), "StringFormat.date and RFC3339 differ on \(text)")
        case .dateTime:
            check(valid == (RFC3339.parseDateTime(text) != nil), "StringFormat.dateTime and RFC3339 differ on \(text)")
        case .uuid:
            check(valid == (UUIDText.parse(text) != nil), "StringFormat.uuid and UUIDText differ on \(text)")
        }
    }
    var errors = ValidationErrors()
    stringRules.check(text, at: FieldPath("f"), errors: &errors)
}

let stringRules = StringRules(minLength: 1, maxLength: 64, pattern: Pattern("^[a-z]+[0-9]*@"), format: .email)
