import Foundation
import Testing
import TestSupport

/// Snippet tests: a few lines of YAML and the exact Swift they become.
/// Each expectation was read and checked by hand once; a change to the
/// generator that alters them must be deliberate.
@Suite struct ModelSnippetTests {
    static let spec = schemaSpec("""
        Level:
          type: string
          enum: [READ_ONLY, FULL_ACCESS]
        NewToken:
          description: What a caller sends to create a token.
          type: object
          additionalProperties: false
          required: [token_label, access_level]
          properties:
            token_label: {type: string, minLength: 1, maxLength: 100}
            access_level: {$ref: '#/components/schemas/Level'}
            expires_at: {type: [string, 'null'], format: date-time}
            tags: {type: array, maxItems: 3, items: {type: string, pattern: '^[a-z]+$'}}
        Identity:
          oneOf:
            - $ref: '#/components/schemas/User'
            - $ref: '#/components/schemas/ServiceUser'
          discriminator:
            propertyName: type
            mapping: {USER: '#/components/schemas/User', SERVICE_USER: '#/components/schemas/ServiceUser'}
        User: {type: object, required: [type], properties: {type: {type: string}, email: {type: string, format: email}}}
        ServiceUser: {type: object, required: [type], properties: {type: {type: string}, name: {type: string}}}
        Filter:
          type: object
          properties:
            not: {$ref: '#/components/schemas/Filter'}
            anyOf: {type: array, items: {$ref: '#/components/schemas/Filter'}}
        Labels: {type: object, additionalProperties: {type: string, maxLength: 10}}
        Expandable: {anyOf: [{type: string, maxLength: 5000}, {$ref: '#/components/schemas/User'}]}
        """)

    func generated(_ name: String) throws -> String {
        let (files, diagnostics) = try generate(Self.spec)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let types = try #require(files["Types.swift"])
        return try #require(declaration(name, in: types), "no declaration of \(name)")
    }

    @Test func stringEnum() throws {
        #expect(try generated("Level") == """
            public enum Level: String, JSONStringEnum {
                case readOnly = "READ_ONLY"
                case fullAccess = "FULL_ACCESS"
            }
            """)
    }

    @Test func objectWithRulesNullableAndClosedKeys() throws {
        #expect(try generated("NewToken") == """
            /// What a caller sends to create a token.
            public struct NewToken: Sendable, Equatable, JSONDecodable, JSONEncodable {
                public var tokenLabel: String
                public var accessLevel: Schemas.Level

                /// `nil` when absent; `.some(nil)` when `null`.
                public var expiresAt: Date??

                public var tags: [String]?

                /// Creates a value from its properties.
                public init(tokenLabel: String, accessLevel: Schemas.Level, expiresAt: Date?? = nil, tags: [String]? = nil) {
                    self.tokenLabel = tokenLabel
                    self.accessLevel = accessLevel
                    self.expiresAt = expiresAt
                    self.tags = tags
                }

                // MARK: - JSON

                private static let tokenLabelRules = StringRules(minLength: 1, maxLength: 100)
                private static let tagsRules = ArrayRules(maxItems: 3)
                private static let tagsItemRules = StringRules(pattern: Pattern("^[a-z]+$"))

                /// Decodes and validates a value; on failure, every problem is in `errors`.
                public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
                    guard let object = json.objectValue(at: path, errors: &errors) else { return nil }
                    let errorCount = errors.count
                    let tokenLabel = object.required(String.self, "token_label", path: path, errors: &errors)
                    if let value = tokenLabel {
                        Self.tokenLabelRules.check(value, at: path.appending("token_label"), errors: &errors)
                    }
                    let accessLevel = object.required(Schemas.Level.self, "access_level", path: path, errors: &errors)
                    let expiresAt = object.optionalNullable(Date.self, "expires_at", path: path, errors: &errors)
                    let tags = object.optional([String].self, "tags", nullable: false, path: path, errors: &errors)
                    if let value = tags ?? nil {
                        Self.tagsRules.check(value, at: path.appending("tags"), errors: &errors)
                        for (index, item) in value.enumerated() {
                            Self.tagsItemRules.check(item, at: path.appending("tags").appending(index: index), errors: &errors)
                        }
                    }
                    object.rejectUnknownKeys(allowing: ["token_label", "access_level", "expires_at", "tags"], path: path, errors: &errors)
                    guard errors.count == errorCount, let tokenLabel, let accessLevel, let expiresAt, let tags else { return nil }
                    self.init(tokenLabel: tokenLabel, accessLevel: accessLevel, expiresAt: expiresAt, tags: tags)
                }

                /// Writes the value as a JSON object.
                public func encode(to writer: inout JSONWriter) {
                    writer.beginObject()
                    writer.field("token_label", self.tokenLabel)
                    writer.field("access_level", self.accessLevel)
                    writer.field("expires_at", self.expiresAt)
                    writer.field("tags", self.tags, nullable: false)
                    writer.endObject()
                }
            }
            """)
    }

    /// Required, required + nullable, optional, and optional + nullable
    /// (`T??`: absent and null kept apart, for JSON merge patch), in the
    /// 3.1 spelling (`type: [T, 'null']`) and the 3.0 one (`nullable: true`).
    static let triState31 = schemaSpec("""
        SettingsPatch:
          description: A partial update of the settings (JSON merge patch).
          type: object
          required: [name, note]
          properties:
            name: {type: string}
            note: {type: [string, 'null']}
            label: {type: string}
            max_token_lifetime_days:
              description: Days a new token may live at most.
              type: [integer, 'null']
              minimum: 1
            owner: {$ref: '#/components/schemas/Owner'}
        Owner:
          type: [object, 'null']
          properties:
            email: {type: string}
        """)
    static let triState30 = """
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths: {}
        components:
          schemas:
            SettingsPatch:
              description: A partial update of the settings (JSON merge patch).
              type: object
              required: [name, note]
              properties:
                name: {type: string}
                note: {type: string, nullable: true}
                label: {type: string}
                max_token_lifetime_days:
                  description: Days a new token may live at most.
                  type: integer
                  minimum: 1
                  nullable: true
                owner: {$ref: '#/components/schemas/Owner'}
            Owner:
              type: object
              nullable: true
              properties:
                email: {type: string}
        """

    static let settingsPatch = """
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
        """

    @Test(arguments: ["3.1", "3.0"])
    func optionalNullableIsTriState(_ version: String) throws {
        let (files, diagnostics) = try generate(version == "3.1" ? Self.triState31 : Self.triState30)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let types = try #require(files["Types.swift"])
        #expect(declaration("SettingsPatch", in: types) == Self.settingsPatch)
    }

    /// The round-trip tests of APIRuntimeTests run this very code: their
    /// copy of it must be what the generator writes today.
    @Test func runtimeRoundTripTestsHoldTheGeneratedCode() throws {
        let (files, _) = try generate(Self.triState31)
        let types = try #require(files["Types.swift"])
        let testFile = Locations.packageRoot.appendingPathComponent("Tests/APIRuntimeTests/TriStateTests.swift")
        let source = try String(contentsOf: testFile, encoding: .utf8)
        for name in ["SettingsPatch", "Owner"] {
            let generated = try #require(declaration(name, in: types))
            let indented = generated.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            #expect(source.contains(indented), "APIRuntimeTests/TriStateTests.swift does not hold the generated \(name): paste it again")
        }
    }

    /// A nullable alias component is itself an optional (`String?`), so its
    /// rules are checked one level deeper.
    @Test func nullableAliasRulesUnwrapTheAlias() throws {
        let (files, diagnostics) = try generate(schemaSpec("""
            Note: {type: [string, 'null'], maxLength: 5}
            Holder:
              type: object
              required: [r]
              properties:
                r: {$ref: '#/components/schemas/Note'}
                a: {$ref: '#/components/schemas/Note'}
            """))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let types = try #require(files["Types.swift"])
        #expect(declaration("Note", in: types) == "public typealias Note = String?")
        let holder = try #require(declaration("Holder", in: types))
        #expect(holder.contains("""
                public var r: Schemas.Note?

                /// `nil` when absent; `.some(nil)` when `null`.
                public var a: Schemas.Note??
            """))
        #expect(holder.contains("""
                    let r = object.requiredNullable(Schemas.Note.self, "r", path: path, errors: &errors)
                    if case let value??? = r {
                        Self.rRules.check(value, at: path.appending("r"), errors: &errors)
                    }
                    let a = object.optionalNullable(Schemas.Note.self, "a", path: path, errors: &errors)
                    if case let value???? = a {
                        Self.aRules.check(value, at: path.appending("a"), errors: &errors)
                    }
            """))
    }

    @Test func oneOfWithDiscriminator() throws {
        #expect(try generated("Identity") == """
            public indirect enum Identity: Sendable, Equatable, JSONDecodable, JSONEncodable {
                case user(Schemas.User)
                case serviceUser(Schemas.ServiceUser)

                // MARK: - JSON

                /// Decodes the one branch the value matches; on failure, the problems are in `errors`.
                public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
                    guard let object = json.objectValue(at: path, errors: &errors), let tag = object.required(String.self, "type", path: path, errors: &errors) else { return nil }
                    switch tag {
                    case "USER":
                        guard let value = Schemas.User(json: json, path: path, errors: &errors) else { return nil }
                        self = .user(value)
                    case "SERVICE_USER":
                        guard let value = Schemas.ServiceUser(json: json, path: path, errors: &errors) else { return nil }
                        self = .serviceUser(value)
                    default:
                        errors.add(path.appending("type"), "must be one of USER, SERVICE_USER")
                        return nil
                    }
                }

                /// Writes the value of the branch it holds.
                public func encode(to writer: inout JSONWriter) {
                    switch self {
                    case .user(let value):
                        value.encode(to: &writer)
                    case .serviceUser(let value):
                        value.encode(to: &writer)
                    }
                }
            }
            """)
    }

    @Test func recursiveSchemaIsBoxed() throws {
        #expect(try generated("Filter") == """
            public struct Filter: Sendable, Equatable, JSONDecodable, JSONEncodable {
                @Indirect public var not: Schemas.Filter?
                public var anyOf: [Schemas.Filter]?

                /// Creates a value from its properties.
                public init(not: Schemas.Filter? = nil, anyOf: [Schemas.Filter]? = nil) {
                    self.not = not
                    self.anyOf = anyOf
                }

                // MARK: - JSON

                /// Decodes and validates a value; on failure, every problem is in `errors`.
                public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
                    guard let object = json.objectValue(at: path, errors: &errors) else { return nil }
                    let errorCount = errors.count
                    let not = object.optional(Schemas.Filter.self, "not", nullable: false, path: path, errors: &errors)
                    let anyOf = object.optional([Schemas.Filter].self, "anyOf", nullable: false, path: path, errors: &errors)
                    guard errors.count == errorCount, let not, let anyOf else { return nil }
                    self.init(not: not, anyOf: anyOf)
                }

                /// Writes the value as a JSON object.
                public func encode(to writer: inout JSONWriter) {
                    writer.beginObject()
                    writer.field("not", self.not, nullable: false)
                    writer.field("anyOf", self.anyOf, nullable: false)
                    writer.endObject()
                }
            }
            """)
    }

    @Test func mapBecomesDictionary() throws {
        #expect(try generated("Labels") == """
            public typealias Labels = [String: String]
            """)
    }

    @Test func anyOfTriesBranchesInOrder() throws {
        #expect(try generated("Expandable") == """
            public indirect enum Expandable: Sendable, Equatable, JSONDecodable, JSONEncodable {
                case string(String)
                case user(Schemas.User)

                // MARK: - JSON

                private static let stringRules = StringRules(maxLength: 5000)

                /// Decodes the one branch the value matches; on failure, the problems are in `errors`.
                public init?(json: JSON, path: FieldPath, errors: inout ValidationErrors) {
                    var attempt = ValidationErrors()
                    if let value = String(json: json, path: path, errors: &attempt) {
                        Self.stringRules.check(value, at: path, errors: &attempt)
                        if attempt.isEmpty {
                            self = .string(value)
                            return
                        }
                    }
                    attempt = ValidationErrors()
                    if let value = Schemas.User(json: json, path: path, errors: &attempt) {
                        self = .user(value)
                        return
                    }
                    errors.add(path, "must match one of: string, User")
                    return nil
                }

                /// Writes the value of the branch it holds.
                public func encode(to writer: inout JSONWriter) {
                    switch self {
                    case .string(let value):
                        value.encode(to: &writer)
                    case .user(let value):
                        value.encode(to: &writer)
                    }
                }
            }
            """)
    }
}
