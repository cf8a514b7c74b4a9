import Testing
@testable import APIRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("QueryParameters")
struct QueryParametersTests {
    @Test func splitsDecodesAndKeepsOrder() {
        let query = QueryParameters(query: "a=1&b=x%20y&b=2+3&flag&=v&c=%zz&d=%e2%82%AC&e=&f=a=b&a%5B%5D=q&g=%4")
        #expect(query.values("a") == ["1"])
        #expect(query.values("b") == ["x y", "2 3"])
        #expect(query.first("b") == "x y")
        #expect(query.first("flag") == "")
        #expect(query.first("") == "v")
        #expect(query.first("c") == "%zz")
        #expect(query.first("d") == "€")
        #expect(query.first("e") == "")
        #expect(query.first("f") == "a=b")
        #expect(query.first("a[]") == "q")
        #expect(query.first("g") == "%4")
        #expect(query.first("missing") == nil)
        #expect(query.values("missing") == [])
        #expect(query.names == ["a", "b", "flag", "", "c", "d", "e", "f", "a[]", "g"])
    }

    @Test func emptyAndDegenerateQueries() {
        #expect(QueryParameters(query: "").isEmpty)
        #expect(QueryParameters(query: "&&").names == [])
        #expect(QueryParameters(query: "a=1&&a=2&").values("a") == ["1", "2"])
        #expect(QueryParameters(query: "x+y=1").first("x y") == "1")
    }

    /// Without explode, the list is split on its literal commas first, so an
    /// encoded comma (%2C) stays inside its item; only the first occurrence
    /// counts. With explode, every occurrence is one item, commas and all.
    @Test func formItemsSplitBeforeDecoding() {
        let query = QueryParameters(query: "tags=a%2Cb,c+d,%E2%82%AC,&tags=ignored&one=x%2Cy&empty=&ids=1,2&ids=3")
        #expect(query.items("tags", explode: false) == ["a,b", "c d", "€", ""])
        #expect(query.items("one", explode: false) == ["x,y"])
        #expect(query.items("empty", explode: false) == [""])
        #expect(query.items("missing", explode: false) == [])
        #expect(query.items("ids", explode: false) == ["1", "2"])
        #expect(query.items("ids", explode: true) == ["1,2", "3"])
        #expect(query.items("tags", explode: true) == ["a,b,c d,€,", "ignored"])
        #expect(query.items("empty", explode: true) == [""])
        #expect(query.items("missing", explode: true) == [])
        #expect(query.first("tags") == "a,b,c d,€,")
    }

    @Test func substringEntryPoint() {
        let url = "/v1/tokens?page_size=10&token_ids=a,b"
        let query = url[url.index(after: url.firstIndex(of: "?")!)...]
        let parameters = QueryParameters(query: query)
        #expect(parameters.first("page_size") == "10")
        #expect(parameters.first("token_ids") == "a,b")
    }

    @Test func percentDecoding() {
        #expect(percentDecoded("a%20b+c", plusAsSpace: true) == "a b c")
        #expect(percentDecoded("a%20b+c", plusAsSpace: false) == "a b+c")
        #expect(percentDecoded("100%", plusAsSpace: false) == "100%")
        #expect(percentDecoded("%G1%1", plusAsSpace: false) == "%G1%1")
        #expect(percentDecoded("%C3%A9%c3%a9", plusAsSpace: false) == "éé")
        #expect(percentDecoded("%FF", plusAsSpace: false) == "\u{FFFD}")
        #expect(percentDecoded("plain", plusAsSpace: true) == "plain")
        #expect(percentDecoded("", plusAsSpace: true) == "")
    }
}

@Suite("ParameterDecoding")
struct ParameterDecodingTests {
    @Test func missingScalars() {
        var errors = ValidationErrors()
        let optional = ParameterDecoding.scalar(Int.self, nil, name: "page_size", required: false, errors: &errors)
        #expect(optional == .some(nil))
        #expect(errors.isEmpty)
        let required = ParameterDecoding.scalar(Int.self, nil, name: "page_size", required: true, errors: &errors)
        #expect(required == nil)
        #expect(errors.errors == [FieldError(field: "page_size", message: "is required")])
    }

    @Test func validScalars() throws {
        var errors = ValidationErrors()
        #expect(ParameterDecoding.scalar(Int.self, "200", name: "n", required: true, errors: &errors) == .some(200))
        #expect(ParameterDecoding.scalar(Int.self, "-007", name: "n", required: true, errors: &errors) == .some(-7))
        #expect(ParameterDecoding.scalar(String.self, "x y", name: "n", required: true, errors: &errors) == .some("x y"))
        #expect(ParameterDecoding.scalar(Bool.self, "false", name: "n", required: true, errors: &errors) == .some(false))
        #expect(ParameterDecoding.scalar(Double.self, "2.5e1", name: "n", required: true, errors: &errors) == .some(25))
        #expect(ParameterDecoding.scalar(Float.self, "0.5", name: "n", required: true, errors: &errors) == .some(0.5))
        #expect(ParameterDecoding.scalar(Int32.self, "-5", name: "n", required: true, errors: &errors) == .some(-5))
        #expect(ParameterDecoding.scalar(Int64.self, "5", name: "n", required: true, errors: &errors) == .some(5))
        let id = try #require(UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"))
        #expect(ParameterDecoding.scalar(UUID.self, "e621e1f8-c36c-495a-93fc-0c247a3e6e5f", name: "n", required: true,
                                         errors: &errors) == .some(id))
        #expect(ParameterDecoding.scalar(Date.self, "1970-01-01T00:00:01Z", name: "n", required: true, errors: &errors)
            == .some(Date(timeIntervalSince1970: 1)))
        #expect(errors.isEmpty)
    }

    @Test(arguments: [
        (Int.self as any ParameterDecodable.Type, "abc", "must be an integer"),
        (Int.self as any ParameterDecodable.Type, "1.5", "must be an integer"),
        (Int.self as any ParameterDecodable.Type, "+1", "must be an integer"),
        (Int.self as any ParameterDecodable.Type, "", "must be an integer"),
        (Int.self as any ParameterDecodable.Type, "-", "must be an integer"),
        (Int.self as any ParameterDecodable.Type, "99999999999999999999", "is out of range"),
        (Int32.self as any ParameterDecodable.Type, "2147483648", "is out of range"),
        (Int64.self as any ParameterDecodable.Type, "1e3", "must be an integer"),
        (Bool.self as any ParameterDecodable.Type, "TRUE", "must be a boolean"),
        (Bool.self as any ParameterDecodable.Type, "1", "must be a boolean"),
        (Double.self as any ParameterDecodable.Type, "nan", "must be a number"),
        (Double.self as any ParameterDecodable.Type, "0x10", "must be a number"),
        (Double.self as any ParameterDecodable.Type, "1e999", "is out of range"),
        (Float.self as any ParameterDecodable.Type, "1e39", "is out of range"),
        (Float.self as any ParameterDecodable.Type, "inf", "must be a number"),
        (UUID.self as any ParameterDecodable.Type, "123", "must be a UUID"),
        (Date.self as any ParameterDecodable.Type, "2022-01-23", "must be an RFC 3339 date-time"),
    ])
    func invalidScalars(type: any ParameterDecodable.Type, raw: String, message: String) {
        #expect(type.init(parameterValue: raw[...]) == nil)
        #expect(type.parameterErrorMessage(for: raw[...]) == message)
    }

    @Test func invalidScalarReportsTheName() {
        var errors = ValidationErrors()
        let value = ParameterDecoding.scalar(UUID.self, "nope", name: "token_id", required: true, errors: &errors)
        #expect(value == nil)
        #expect(errors.errors == [FieldError(field: "token_id", message: "must be a UUID")])
    }

    @Test func explodedArrays() {
        var errors = ValidationErrors()
        let query = QueryParameters(query: "id=1&id=2&x=3")
        let values = ParameterDecoding.array(Int.self, items: query.items("id", explode: true), name: "id",
                                             required: true, errors: &errors)
        #expect(values == .some([1, 2]))
        let commas = ParameterDecoding.array(String.self, items: ["a,b"], name: "s",
                                             required: true, errors: &errors)
        #expect(commas == .some(["a,b"]))
        #expect(errors.isEmpty)
    }

    @Test func commaSeparatedArrays() {
        var errors = ValidationErrors()
        #expect(ParameterDecoding.array(String.self, commaSeparated: "a,b,,c", name: "ids",
                                        required: true, errors: &errors) == .some(["a", "b", "", "c"]))
        #expect(ParameterDecoding.array(String.self, commaSeparated: "", name: "ids",
                                        required: true, errors: &errors) == .some([""]))
        #expect(ParameterDecoding.array(Int.self, items: QueryParameters(query: "ids=1,2&ids=3").items("ids", explode: false), name: "ids",
                                        required: true, errors: &errors) == .some([1, 2]))
        #expect(errors.isEmpty)
    }

    /// `ids=` is `[""]` in both styles (RFC 6570), so a list of integers or
    /// UUIDs refuses it rather than reading it as an empty list.
    @Test func anEmptyValueIsOneEmptyItem() {
        for explode in [false, true] {
            var errors = ValidationErrors()
            #expect(ParameterDecoding.array(UUID.self, items: QueryParameters(query: "token_ids=").items("token_ids", explode: explode), name: "token_ids",
                                            required: false, errors: &errors) == nil)
            #expect(errors.errors == [FieldError(field: "token_ids[0]", message: "must be a UUID")])
        }
    }

    @Test func itemsAlreadySplit() {
        var errors = ValidationErrors()
        #expect(ParameterDecoding.array(String.self, items: ["a,b", "c"], name: "s", required: true, errors: &errors) == .some(["a,b", "c"]))
        #expect(ParameterDecoding.array(Int.self, items: [], name: "n", required: false, errors: &errors) == .some(nil))
        #expect(errors.isEmpty)
        #expect(ParameterDecoding.array(Int.self, items: [], name: "n", required: true, errors: &errors) == nil)
        #expect(ParameterDecoding.array(Int.self, items: ["1", ""], name: "m", required: true, errors: &errors) == nil)
        #expect(errors.errors == [FieldError(field: "n", message: "is required"), FieldError(field: "m[1]", message: "must be an integer")])
    }

    @Test func missingArrays() {
        var errors = ValidationErrors()
        #expect(ParameterDecoding.array(Int.self, commaSeparated: nil, name: "ids",
                                        required: false, errors: &errors) == .some(nil))
        #expect(errors.isEmpty)
        #expect(ParameterDecoding.array(Int.self, items: [], name: "ids",
                                        required: true, errors: &errors) == nil)
        #expect(errors.errors == [FieldError(field: "ids", message: "is required")])
    }

    @Test func itemErrorsNameTheIndex() {
        var errors = ValidationErrors()
        let ids = ParameterDecoding.array(UUID.self, commaSeparated: "e621e1f8-c36c-495a-93fc-0c247a3e6e5f,bad,also-bad",
                                          name: "token_ids", required: false, errors: &errors)
        #expect(ids == nil)
        #expect(errors.errors == [
            FieldError(field: "token_ids[1]", message: "must be a UUID"),
            FieldError(field: "token_ids[2]", message: "must be a UUID"),
        ])
        var exploded = ValidationErrors()
        _ = ParameterDecoding.array(Int.self, items: ["1", "x", "99999999999999999999"], name: "n",
                                    required: false, errors: &exploded)
        #expect(exploded.errors == [
            FieldError(field: "n[1]", message: "must be an integer"),
            FieldError(field: "n[2]", message: "is out of range"),
        ])
    }

    @Test func customTypesGetTheDefaultMessage() {
        struct Even: ParameterDecodable {
            init?(parameterValue: Substring) {
                guard let value = Int(parameterValue), value % 2 == 0 else { return nil }
            }
        }
        var errors = ValidationErrors()
        #expect(ParameterDecoding.scalar(Even.self, "3", name: "e", required: true, errors: &errors) == nil)
        #expect(errors.errors == [FieldError(field: "e", message: "is not valid")])
    }
}
