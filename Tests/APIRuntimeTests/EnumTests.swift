import Testing
@testable import APIRuntime

enum AccessLevel: String, JSONStringEnum {
    case READ_ONLY
    case FULL_ACCESS
}

enum Priority: Int, JSONIntEnum {
    case low = 1
    case medium = 2
    case high = 3
}

@Suite("String and integer enums")
struct EnumTests {
    @Test func stringEnumDecoding() throws {
        #expect(try decode(AccessLevel.self, text: #""FULL_ACCESS""#).0 == .FULL_ACCESS)
        let (unknown, unknownErrors) = try decode(AccessLevel.self, text: #""read_only""#, at: "access_level")
        #expect(unknown == nil)
        #expect(unknownErrors == [FieldError(field: "access_level", message: "must be one of READ_ONLY, FULL_ACCESS")])
        let (number, numberErrors) = try decode(AccessLevel.self, text: "1", at: "access_level")
        #expect(number == nil)
        #expect(numberErrors == [FieldError(field: "access_level", message: "must be a string")])
    }

    @Test func stringEnumEncodingAndParameters() {
        var writer = JSONWriter()
        writer.value([AccessLevel.READ_ONLY, .FULL_ACCESS])
        #expect(writer.string == #"["READ_ONLY","FULL_ACCESS"]"#)
        #expect(AccessLevel(parameterValue: "READ_ONLY") == .READ_ONLY)
        #expect(AccessLevel(parameterValue: "nope") == nil)
        #expect(AccessLevel.parameterTypeMessage == "must be one of READ_ONLY, FULL_ACCESS")
        var errors = ValidationErrors()
        let value = ParameterDecoding.scalar(AccessLevel.self, "x", name: "level", required: true, errors: &errors)
        #expect(value == nil)
        #expect(errors.errors == [FieldError(field: "level", message: "must be one of READ_ONLY, FULL_ACCESS")])
    }

    @Test func intEnumDecoding() throws {
        #expect(try decode(Priority.self, text: "2").0 == .medium)
        #expect(try decode(Priority.self, text: "3.0").0 == .high)
        #expect(try decode(Priority.self, text: "4").1 == [FieldError(field: "f", message: "must be one of 1, 2, 3")])
        #expect(try decode(Priority.self, text: #""2""#).1 == [FieldError(field: "f", message: "must be an integer")])
        #expect(try decode(Priority.self, text: "2.5").1 == [FieldError(field: "f", message: "must be an integer")])
        #expect(try decode(Priority.self, text: "1e40").1 == [FieldError(field: "f", message: "is out of range")])
    }

    @Test func intEnumEncodingAndParameters() {
        var writer = JSONWriter()
        writer.value(Priority.high)
        #expect(writer.string == "3")
        #expect(Priority(parameterValue: "1") == .low)
        #expect(Priority(parameterValue: "9") == nil)
        #expect(Priority.parameterErrorMessage(for: "9") == "must be one of 1, 2, 3")
        #expect(Priority.parameterErrorMessage(for: "x") == "must be an integer")
        var errors = ValidationErrors()
        let values = ParameterDecoding.array(Priority.self, commaSeparated: "1,5,z", name: "p",
                                             required: false, errors: &errors)
        #expect(values == nil)
        #expect(errors.errors == [
            FieldError(field: "p[1]", message: "must be one of 1, 2, 3"),
            FieldError(field: "p[2]", message: "must be an integer"),
        ])
    }

    @Test func enumsInSetsAndOtherStructures() throws {
        let levels: Set<AccessLevel> = [.READ_ONLY, .READ_ONLY, .FULL_ACCESS]
        #expect(levels.count == 2)
        #expect(try decode([Priority].self, text: "[1, 3]").0 == [.low, .high])
    }
}
