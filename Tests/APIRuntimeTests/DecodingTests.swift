import Testing
@testable import APIRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes `json` as `T` at `field`, returning the value and the errors.
func decode<T: JSONDecodable>(_ type: T.Type, _ json: JSON, at field: String = "f") -> (T?, [FieldError]) {
    var errors = ValidationErrors()
    let value = T(json: json, path: FieldPath(field), errors: &errors)
    return (value, errors.errors)
}

func decode<T: JSONDecodable>(_ type: T.Type, text: String, at field: String = "f") throws -> (T?, [FieldError]) {
    decode(type, try JSON.parse(text), at: field)
}

@Suite("Decoding standard types")
struct StandardDecodingTests {
    @Test(arguments: [
        ("1", "must be a string"), ("null", "must be a string"), ("[]", "must be a string"),
    ])
    func stringMessages(text: String, message: String) throws {
        let (value, errors) = try decode(String.self, text: text)
        #expect(value == nil)
        #expect(errors == [FieldError(field: "f", message: message)])
    }

    @Test func validScalars() throws {
        #expect(try decode(String.self, text: #""x""#).0 == "x")
        #expect(try decode(Bool.self, text: "false").0 == false)
        #expect(try decode(Int.self, text: "-12").0 == -12)
        #expect(try decode(Int.self, text: "1.0").0 == 1)
        #expect(try decode(Int.self, text: "2e3").0 == 2000)
        #expect(try decode(Int32.self, text: "-2147483648").0 == Int32.min)
        #expect(try decode(Int64.self, text: "9223372036854775807").0 == Int64.max)
        #expect(try decode(Double.self, text: "2.5").0 == 2.5)
        #expect(try decode(Double.self, text: "3").0 == 3)
        #expect(try decode(Float.self, text: "0.1").0 == Float(0.1))
        #expect(try decode(JSON.self, text: "null").0 == JSON.null)
        #expect(try decode(JSON.self, text: #"{"a":[1]}"#).0 == ["a": [1]])
    }

    @Test(arguments: [
        (Bool.self as any JSONDecodable.Type, #""true""#, "must be a boolean"),
        (Bool.self as any JSONDecodable.Type, "1", "must be a boolean"),
        (Int.self as any JSONDecodable.Type, #""1""#, "must be an integer"),
        (Int.self as any JSONDecodable.Type, "1.5", "must be an integer"),
        (Int.self as any JSONDecodable.Type, "1e-1", "must be an integer"),
        (Int.self as any JSONDecodable.Type, "1e30", "is out of range"),
        (Int.self as any JSONDecodable.Type, "9223372036854775808", "is out of range"),
        (Int32.self as any JSONDecodable.Type, "3000000000", "is out of range"),
        (Int32.self as any JSONDecodable.Type, "true", "must be an integer"),
        (Int32.self as any JSONDecodable.Type, "2.5", "must be an integer"),
        (Int64.self as any JSONDecodable.Type, "1e19", "is out of range"),
        (Int64.self as any JSONDecodable.Type, "{}", "must be an integer"),
        (Double.self as any JSONDecodable.Type, #""1.5""#, "must be a number"),
        (Double.self as any JSONDecodable.Type, "1e400", "is out of range"),
        (Float.self as any JSONDecodable.Type, "1e39", "is out of range"),
        (Float.self as any JSONDecodable.Type, "null", "must be a number"),
        (UUID.self as any JSONDecodable.Type, #""not-a-uuid""#, "must be a UUID"),
        (UUID.self as any JSONDecodable.Type, #""e621e1f8c36c495a93fc0c247a3e6e5f""#, "must be a UUID"),
        (UUID.self as any JSONDecodable.Type, #""{e621e1f8-c36c-495a-93fc-0c247a3e6e5f}""#, "must be a UUID"),
        (UUID.self as any JSONDecodable.Type, #""e621e1f8-c36c-495a-93fc-0c247a3e6e5g""#, "must be a UUID"),
        (UUID.self as any JSONDecodable.Type, "1", "must be a UUID"),
        (Date.self as any JSONDecodable.Type, #""2022-01-23""#, "must be an RFC 3339 date-time"),
        (Date.self as any JSONDecodable.Type, #""2023-02-30T00:00:00Z""#, "must be an RFC 3339 date-time"),
        (Date.self as any JSONDecodable.Type, "0", "must be an RFC 3339 date-time"),
        ([Int].self as any JSONDecodable.Type, "{}", "must be an array"),
        ([String: Int].self as any JSONDecodable.Type, "[]", "must be an object"),
    ])
    func messages(type: any JSONDecodable.Type, text: String, message: String) throws {
        var errors = ValidationErrors()
        let value = type.init(json: try JSON.parse(text), path: FieldPath("f"), errors: &errors)
        #expect(value == nil)
        #expect(errors.errors == [FieldError(field: "f", message: message)])
    }

    @Test func uuidAcceptsEitherCase() throws {
        let lower = try decode(UUID.self, text: #""e621e1f8-c36c-495a-93fc-0c247a3e6e5f""#).0
        let upper = try decode(UUID.self, text: #""E621E1F8-C36C-495A-93FC-0C247A3E6E5F""#).0
        #expect(lower != nil)
        #expect(lower == upper)
        #expect(lower == UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"))
    }

    @Test func dateAcceptsOffsetsAndFractions() throws {
        let utc = try decode(Date.self, text: #""2022-01-23T04:56:07Z""#).0
        let offset = try decode(Date.self, text: #""2022-01-23T10:26:07.000+05:30""#).0
        #expect(utc == Date(timeIntervalSince1970: 1_642_913_767))
        #expect(offset == utc)
    }

    @Test func arraysReportEveryBadElement() throws {
        let (value, errors) = try decode([Int].self, text: #"[1, "x", 3, 4.5]"#, at: "items")
        #expect(value == nil)
        #expect(errors == [
            FieldError(field: "items[1]", message: "must be an integer"),
            FieldError(field: "items[3]", message: "must be an integer"),
        ])
        #expect(try decode([Int].self, text: "[1, 2]").0 == [1, 2])
        #expect(try decode([Int].self, text: "[]").0 == [])
    }

    @Test func nestedArrayPaths() throws {
        let (_, errors) = try decode([[String]].self, text: #"[["a"], ["b", 2]]"#, at: "grid")
        #expect(errors == [FieldError(field: "grid[1][1]", message: "must be a string")])
    }

    @Test func dictionariesReportEveryBadValue() throws {
        let (value, errors) = try decode([String: Int].self, text: #"{"a": 1, "b": "x", "c": true}"#, at: "m")
        #expect(value == nil)
        #expect(errors == [
            FieldError(field: "m.b", message: "must be an integer"),
            FieldError(field: "m.c", message: "must be an integer"),
        ])
        #expect(try decode([String: Int].self, text: #"{"a": 1}"#).0 == ["a": 1])
    }

    @Test func optionalElements() throws {
        #expect(try decode([String?].self, text: #"["a", null]"#).0 == ["a", nil])
        let (value, errors) = try decode([String?].self, text: #"["a", 1]"#, at: "tags")
        #expect(value == nil)
        #expect(errors == [FieldError(field: "tags[1]", message: "must be a string")])
    }

    @Test func objectValueAtPath() throws {
        var errors = ValidationErrors()
        #expect(JSON.string("x").objectValue(at: FieldPath.root.appending("owner"), errors: &errors) == nil)
        #expect(errors.errors == [FieldError(field: "owner", message: "must be an object")])
        #expect(JSON.object(["a": 1]).objectValue(at: .root, errors: &errors)?["a"] == 1)
        #expect(errors.count == 1)
    }
}

@Suite("Decoding object members")
struct ObjectMemberTests {
    let object: JSONObject = ["name": "x", "nothing": .null, "count": "3"]
    let path = FieldPath.root.appending("body")

    @Test func requiredOutcomes() {
        var errors = ValidationErrors()
        #expect(object.required(String.self, "name", path: path, errors: &errors) == "x")
        #expect(errors.isEmpty)
        #expect(object.required(String.self, "missing", path: path, errors: &errors) == nil)
        #expect(object.required(String.self, "nothing", path: path, errors: &errors) == nil)
        #expect(object.required(Int.self, "count", path: path, errors: &errors) == nil)
        #expect(errors.errors == [
            FieldError(field: "body.missing", message: "is required"),
            FieldError(field: "body.nothing", message: "must not be null"),
            FieldError(field: "body.count", message: "must be an integer"),
        ])
    }

    @Test func requiredNullableOutcomes() {
        var errors = ValidationErrors()
        #expect(object.requiredNullable(String.self, "name", path: .root, errors: &errors) == .some(.some("x")))
        #expect(object.requiredNullable(String.self, "nothing", path: .root, errors: &errors) == .some(nil))
        #expect(errors.isEmpty)
        #expect(object.requiredNullable(String.self, "missing", path: .root, errors: &errors) == nil)
        #expect(object.requiredNullable(Int.self, "count", path: .root, errors: &errors) == nil)
        #expect(errors.errors == [
            FieldError(field: "missing", message: "is required"),
            FieldError(field: "count", message: "must be an integer"),
        ])
    }

    @Test func optionalOutcomes() {
        var errors = ValidationErrors()
        #expect(object.optional(String.self, "name", nullable: false, path: .root, errors: &errors) == .some(.some("x")))
        #expect(object.optional(String.self, "missing", nullable: false, path: .root, errors: &errors) == .some(nil))
        #expect(object.optional(String.self, "nothing", nullable: true, path: .root, errors: &errors) == .some(nil))
        #expect(errors.isEmpty)
        #expect(object.optional(String.self, "nothing", nullable: false, path: .root, errors: &errors) == nil)
        #expect(object.optional(Int.self, "count", nullable: true, path: .root, errors: &errors) == nil)
        #expect(errors.errors == [
            FieldError(field: "nothing", message: "must not be null"),
            FieldError(field: "count", message: "must be an integer"),
        ])
    }

    /// Absent, null, a value and an invalid value are four outcomes.
    @Test func optionalNullableOutcomes() {
        var errors = ValidationErrors()
        #expect(object.optionalNullable(String.self, "missing", path: .root, errors: &errors) == .some(.none))
        #expect(object.optionalNullable(String.self, "nothing", path: .root, errors: &errors) == .some(.some(.none)))
        #expect(object.optionalNullable(String.self, "name", path: .root, errors: &errors) == .some(.some(.some("x"))))
        #expect(errors.isEmpty)
        #expect(object.optionalNullable(Int.self, "count", path: path, errors: &errors) == .none)
        #expect(errors.errors == [FieldError(field: "body.count", message: "must be an integer")])
    }

    @Test func rejectUnknownKeys() {
        var errors = ValidationErrors()
        object.rejectUnknownKeys(allowing: ["name", "nothing", "count"], path: path, errors: &errors)
        #expect(errors.isEmpty)
        object.rejectUnknownKeys(allowing: ["name"], path: path, errors: &errors)
        #expect(errors.errors == [
            FieldError(field: "body.nothing", message: "is not allowed"),
            FieldError(field: "body.count", message: "is not allowed"),
        ])
    }

    @Test func additionalEntries() {
        var errors = ValidationErrors()
        let labels: JSONObject = ["id": 1, "env": "prod", "team": "core"]
        #expect(labels.additionalEntries(String.self, excluding: ["id"], path: .root, errors: &errors)
            == ["env": "prod", "team": "core"])
        #expect(errors.isEmpty)
        #expect(labels.additionalEntries(String.self, excluding: [], path: path, errors: &errors) == nil)
        #expect(errors.errors == [FieldError(field: "body.id", message: "must be a string")])
        #expect(labels.additionalEntries(JSON.self, excluding: ["id", "env", "team"], path: .root, errors: &errors) == [:])
    }
}

/// A struct decoded the way generated code decodes one.
private struct CreateToken: JSONDecodable, Equatable {
    var tokenLabel: String
    var expiresAt: Date?
    var owner: Owner?

    struct Owner: JSONDecodable, Equatable {
        var email: String
        var tags: [String]

        init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
            guard let object = json.objectValue(at: path, errors: &errors) else { return nil }
            let email = object.required(String.self, "email", path: path, errors: &errors)
            let tags = object.optional([String].self, "tags", nullable: false, path: path, errors: &errors)
            object.rejectUnknownKeys(allowing: ["email", "tags"], path: path, errors: &errors)
            guard let email, let tags else { return nil }
            self.email = email
            self.tags = tags ?? []
        }
    }

    init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
        guard let object = json.objectValue(at: path, errors: &errors) else { return nil }
        let tokenLabel = object.required(String.self, "token_label", path: path, errors: &errors)
        let expiresAt = object.optional(Date.self, "expires_at", nullable: true, path: path, errors: &errors)
        let owner = object.optional(Owner.self, "owner", nullable: false, path: path, errors: &errors)
        guard let tokenLabel, let expiresAt, let owner else { return nil }
        self.tokenLabel = tokenLabel
        self.expiresAt = expiresAt
        self.owner = owner
    }
}

@Suite("Decoding a generated-style struct")
struct GeneratedStructTests {
    @Test func valid() throws {
        let (value, errors) = try decode(
            CreateToken.self,
            text: #"{"token_label": "ci", "expires_at": null, "owner": {"email": "a@b.c", "tags": ["x"]}}"#,
            at: "")
        #expect(errors.isEmpty)
        #expect(value?.tokenLabel == "ci")
        #expect(value?.expiresAt == nil)
        #expect(value?.owner?.tags == ["x"])
    }

    @Test func everyProblemIsReportedWithItsPath() throws {
        var errors = ValidationErrors()
        let json = try JSON.parse(#"{"expires_at": "soon", "owner": {"email": 5, "tags": ["x", 1], "extra": 1}}"#)
        let value = CreateToken(json: json, path: .root, errors: &errors)
        #expect(value == nil)
        #expect(errors.errors == [
            FieldError(field: "token_label", message: "is required"),
            FieldError(field: "expires_at", message: "must be an RFC 3339 date-time"),
            FieldError(field: "owner.email", message: "must be a string"),
            FieldError(field: "owner.tags[1]", message: "must be a string"),
            FieldError(field: "owner.extra", message: "is not allowed"),
        ])
    }

    @Test func notAnObject() throws {
        let (value, errors) = try decode(CreateToken.self, text: "[]", at: "")
        #expect(value == nil)
        #expect(errors == [FieldError(field: "", message: "must be an object")])
    }
}

@Suite("Field paths and errors")
struct FieldPathTests {
    @Test func descriptions() {
        #expect(FieldPath.root.description == "")
        #expect(FieldPath.root.appending("token_label").description == "token_label")
        #expect(FieldPath.root.appending("token_label").appending("name").description == "token_label.name")
        #expect(FieldPath("items").appending(index: 2).description == "items[2]")
        #expect(FieldPath("items").appending(index: 2).appending("id").description == "items[2].id")
        #expect(FieldPath.root.appending(index: 0).description == "[0]")
        #expect(FieldPath("a.b").appending("c[0]").description == "a.b.c[0]")
        #expect(FieldPath("page_size").description == "page_size")
    }

    @Test func equalityFollowsTheText() {
        #expect(FieldPath.root.appending("a").appending("b") == FieldPath("a.b"))
        #expect(FieldPath("a") != FieldPath("b"))
        let set: Set<FieldPath> = [FieldPath("a.b"), FieldPath.root.appending("a").appending("b")]
        #expect(set.count == 1)
    }

    @Test func validationErrors() {
        var errors = ValidationErrors()
        #expect(errors.isEmpty)
        errors.add(FieldPath("a"), "is required")
        errors.add(FieldError(field: "b", message: "must be a string"))
        var more = ValidationErrors()
        more.add(.root.appending("c"), "is not allowed")
        errors.append(contentsOf: more)
        #expect(errors.count == 3)
        #expect(!errors.isEmpty)
        #expect(errors.errors.map(\.field) == ["a", "b", "c"])
        #expect(errors.errors.last?.message == "is not allowed")
    }
}
