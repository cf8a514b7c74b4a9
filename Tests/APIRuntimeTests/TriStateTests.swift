import Testing
@testable import APIRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Optional + nullable properties are `T??` (JSON merge-patch semantics):
// nil = absent (left out when encoding), `.some(nil)` = null, `.some(v)` = v.
//
// `Schemas` below is the generator's output for ModelSnippetTests.triState31,
// pasted verbatim; OpenAPITranslatorTests (runtimeRoundTripTestsHoldTheGeneratedCode)
// fails when it no longer matches what the generator writes.

enum Schemas {
    /// A partial update of the settings (JSON merge patch).
    public struct SettingsPatch: Sendable, Equatable, JSONDecodable, JSONEncodable {
        public var name: String
        public var note: String?
        public var label: String?

        /// Days a new token may live at most.
        ///
        /// `nil` when absent; `.some(nil)` when `null`.
        public var maxTokenLifetimeDays: Int??

        /// `nil` when absent; `.some(nil)` when `null`.
        public var owner: Schemas.Owner??

        /// Creates a value from its properties.
        public init(name: String, note: String? = nil, label: String? = nil, maxTokenLifetimeDays: Int?? = nil, owner: Schemas.Owner?? = nil) {
            self.name = name
            self.note = note
            self.label = label
            self.maxTokenLifetimeDays = maxTokenLifetimeDays
            self.owner = owner
        }

        // MARK: - JSON

        private static let maxTokenLifetimeDaysRules = IntegerRules(minimum: 1)

        /// Decodes and validates a value; on failure, every problem is in `errors`.
        public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
            guard let object = json.objectValue(at: path, errors: &errors) else { return nil }
            let errorCount = errors.count
            let name = object.required(String.self, "name", path: path, errors: &errors)
            let note = object.requiredNullable(String.self, "note", path: path, errors: &errors)
            let label = object.optional(String.self, "label", nullable: false, path: path, errors: &errors)
            let maxTokenLifetimeDays = object.optionalNullable(Int.self, "max_token_lifetime_days", path: path, errors: &errors)
            if case let value??? = maxTokenLifetimeDays {
                Self.maxTokenLifetimeDaysRules.check(value, at: path.appending("max_token_lifetime_days"), errors: &errors)
            }
            let owner = object.optionalNullable(Schemas.Owner.self, "owner", path: path, errors: &errors)
            guard errors.count == errorCount, let name, let note, let label, let maxTokenLifetimeDays, let owner else { return nil }
            self.init(name: name, note: note, label: label, maxTokenLifetimeDays: maxTokenLifetimeDays, owner: owner)
        }

        /// Writes the value as a JSON object.
        public func encode(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.field("name", self.name)
            writer.field("note", self.note, nullable: true)
            writer.field("label", self.label, nullable: false)
            writer.field("max_token_lifetime_days", self.maxTokenLifetimeDays)
            writer.field("owner", self.owner)
            writer.endObject()
        }
    }

    public struct Owner: Sendable, Equatable, JSONDecodable, JSONEncodable {
        public var email: String?

        /// Creates a value from its properties.
        public init(email: String? = nil) {
            self.email = email
        }

        // MARK: - JSON

        /// Decodes and validates a value; on failure, every problem is in `errors`.
        public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
            guard let object = json.objectValue(at: path, errors: &errors) else { return nil }
            let errorCount = errors.count
            let email = object.optional(String.self, "email", nullable: false, path: path, errors: &errors)
            guard errors.count == errorCount, let email else { return nil }
            self.init(email: email)
        }

        /// Writes the value as a JSON object.
        public func encode(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.field("email", self.email, nullable: false)
            writer.endObject()
        }
    }
}

@Suite("Optional + nullable properties (T??)")
struct TriStateTests {
    typealias Patch = Schemas.SettingsPatch

    func decoded(_ text: String) throws -> (Patch?, [FieldError]) {
        try decode(Patch.self, text: text, at: "")
    }

    func encoded(_ value: Patch) -> String {
        String(decoding: JSONWriter.encode(value), as: UTF8.self)
    }

    /// Absent, null and a value decode to three different values, and each
    /// encodes back to the bytes it came from.
    @Test(arguments: [
        (#"{"name":"n","note":null}"#, Int??.none),
        (#"{"name":"n","note":null,"max_token_lifetime_days":null}"#, Int??.some(nil)),
        (#"{"name":"n","note":null,"max_token_lifetime_days":1}"#, Int??.some(1)),
    ])
    func roundTrip(text: String, expected: Int??) throws {
        let (value, errors) = try decoded(text)
        #expect(errors.isEmpty)
        let patch = try #require(value)
        #expect(patch.maxTokenLifetimeDays == expected)
        #expect(encoded(patch) == text)
    }

    @Test func absentAndNullAreDifferentValues() throws {
        let absent = try #require(try decoded(#"{"name":"n","note":null}"#).0)
        let null = try #require(try decoded(#"{"name":"n","note":null,"max_token_lifetime_days":null}"#).0)
        #expect(absent.maxTokenLifetimeDays == nil)
        #expect(null.maxTokenLifetimeDays == .some(nil))
        #expect(absent != null)
    }

    @Test func nullableObjectReference() throws {
        let cases: [(String, Schemas.Owner??)] = [
            (#"{"name":"n","note":"x"}"#, nil),
            (#"{"name":"n","note":"x","owner":null}"#, .some(nil)),
            (#"{"name":"n","note":"x","owner":{"email":"a@b.c"}}"#, .some(Schemas.Owner(email: "a@b.c"))),
        ]
        for (text, owner) in cases {
            let (value, errors) = try decoded(text)
            #expect(errors.isEmpty, "\(text)")
            #expect(value?.owner == owner, "\(text)")
            #expect(value.map(encoded) == text)
        }
    }

    /// Values are still validated: type, rules, and null where not allowed;
    /// null (like absent) has no rules to break.
    @Test func invalidValuesAreReported() throws {
        let (value, errors) = try decoded(#"{"name":"n","note":null,"label":null,"max_token_lifetime_days":0,"owner":{"email":1}}"#)
        #expect(value == nil)
        #expect(errors == [
            FieldError(field: "label", message: "must not be null"),
            FieldError(field: "max_token_lifetime_days", message: "must be at least 1"),
            FieldError(field: "owner.email", message: "must be a string"),
        ])
        let (wrongType, typeErrors) = try decoded(#"{"name":"n","note":null,"max_token_lifetime_days":"7"}"#)
        #expect(wrongType == nil)
        #expect(typeErrors == [FieldError(field: "max_token_lifetime_days", message: "must be an integer")])
        // A missing required-nullable member is still an error; null is not.
        let (missing, missingErrors) = try decoded(#"{"name":"n"}"#)
        #expect(missing == nil)
        #expect(missingErrors == [FieldError(field: "note", message: "is required")])
    }

    /// Built in code: nil (the default) leaves the member out; `.some(nil)`
    /// writes null. Required + nullable is always written.
    @Test func memberwiseValuesEncode() {
        #expect(encoded(Patch(name: "n")) == #"{"name":"n","note":null}"#)
        #expect(encoded(Patch(name: "n", note: "x", maxTokenLifetimeDays: .some(nil))) == #"{"name":"n","note":"x","max_token_lifetime_days":null}"#)
        #expect(encoded(Patch(name: "n", maxTokenLifetimeDays: 30, owner: Schemas.Owner())) == #"{"name":"n","note":null,"max_token_lifetime_days":30,"owner":{}}"#)
        let days: Int? = nil
        // A `T?` passed in is a present value: nil becomes null, not absent.
        #expect(encoded(Patch(name: "n", maxTokenLifetimeDays: days)) == #"{"name":"n","note":null,"max_token_lifetime_days":null}"#)
    }
}
