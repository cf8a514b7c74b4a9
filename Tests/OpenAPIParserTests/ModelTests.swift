import GeneratorDiagnostics
import OpenAPIModel
import OpenAPIParser
import Testing

@Suite struct DocumentModelTests {
    @Test func infoServersTagsAndExtensions() throws {
        let document = try parseValid("""
            openapi: 3.1.0
            info:
              title: Tessera
              version: 1.0
              summary: Tokens
              description: API tokens.
              contact: {name: Ops, email: ops@example.com}
              license: {name: MIT}
              x-logo: logo.png
            servers:
              - url: /v1
                description: Local
              - url: https://{host}/v1
                variables:
                  host: {default: api.example.com, enum: [api.example.com, eu.example.com]}
            tags:
              - name: tokens
                description: API tokens
            x-tessera: {internal: true}
            paths: {}
            """)
        #expect(document.version == .v3_1)
        #expect(document.openapi == "3.1.0")
        #expect(document.info.title == "Tessera")
        // `version: 1.0` is a YAML number; OpenAPI wants a string, and the text is kept.
        #expect(document.info.version == "1.0")
        #expect(document.info.summary == "Tokens")
        #expect(document.info.contactEmail == "ops@example.com")
        #expect(document.info.licenseName == "MIT")
        #expect(document.info.extensions["x-logo"] == .string("logo.png"))
        #expect(document.servers.map(\.url) == ["/v1", "https://{host}/v1"])
        #expect(document.servers[1].variables["host"]?.enumValues == ["api.example.com", "eu.example.com"])
        #expect(document.tags.map(\.name) == ["tokens"])
        #expect(document.extensions["x-tessera"] == .object({ var o = OrderedDictionary<JSONValue>(); o["internal"] = .bool(true); return o }()))
    }

    @Test func version30And31AreRecognised() throws {
        #expect(try parseValid(spec(version: "3.0.3")).version == .v3_0)
        #expect(try parseValid(spec(version: "3.1.1")).version == .v3_1)
        #expect(diagnosticLines("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n") == [
            "spec.yaml:1:1: error: Swagger 2.0 documents are not supported; convert it to OpenAPI 3.0 or 3.1",
        ])
        #expect(diagnosticLines(spec(version: "4.0.0")) == [
            "spec.yaml:1:10: error: OpenAPI version '4.0.0' is not supported; expected 3.0.x or 3.1.x",
        ])
    }

    @Test func pathsOperationsAndPathLevelParameters() throws {
        let document = try parseValid(spec(paths: """

              /tokens/{token_id}:
                summary: One token
                parameters:
                  - {name: token_id, in: path, required: true, schema: {type: string, format: uuid}}
                get:
                  operationId: getToken
                  summary: Get a token
                  description: Returns the token.
                  tags: [tokens]
                  deprecated: true
                  x-rate-limit: 10
                  responses:
                    '200': {description: OK}
                delete:
                  operationId: deleteToken
                  responses:
                    '200': {description: Deleted}
                    4XX: {description: Client error}
                    default: {description: Error}
            """))
        let item = try #require(document.paths["/tokens/{token_id}"])
        #expect(item.summary == "One token")
        #expect(item.parameters.count == 1)
        #expect(item.operations.map(\.method) == [.get, .delete])
        let get = item.operations[0]
        #expect(get.operationId == "getToken")
        #expect(get.path == "/tokens/{token_id}")
        #expect(get.tags == ["tokens"])
        #expect(get.deprecated)
        #expect(get.extensions["x-rate-limit"] == .int(10))
        #expect((get.source.line, get.source.column) == (10, 5))
        #expect(item.operations[1].responses.keys == ["200", "4XX", "default"])
        #expect(document.operations.count == 2)
    }

    @Test func parameterStylesAndExplodeDefaults() throws {
        let document = try parseValid(spec(paths: """

              /tokens/{id}:
                get:
                  parameters:
                    - {name: id, in: path, required: true, schema: {type: string}}
                    - {name: token_ids, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
                    - {name: tag, in: query, schema: {type: array, items: {type: string}}}
                    - {name: filter, in: query, style: deepObject, schema: {type: object}}
                    - {name: X-Request-ID, in: header, schema: {type: string}}
                    - {name: session, in: cookie, required: false, schema: {type: string}}
                    - {name: page, in: query, content: {application/json: {schema: {type: integer}}}}
                  responses: {'200': {description: OK}}
            """))
        let parameters = try document.operations[0].parameters.map { try $0.require() }
        #expect(parameters.map(\.location) == [.path, .query, .query, .query, .header, .cookie, .query])
        #expect(parameters.map(\.style) == [.simple, .form, .form, .deepObject, .simple, .form, .form])
        #expect(parameters.map(\.explode) == [false, false, true, false, false, true, true])
        #expect(parameters.map(\.required) == [true, false, false, false, false, false, false])
        // A parameter with `content` takes its schema from the one media type.
        #expect(parameters[6].schema?.value?.singleType == .integer)
        #expect(parameters[6].content.keys == ["application/json"])
    }

    @Test func invalidStyleForLocationIsAnError() {
        #expect(diagnosticLines(spec(paths: """

              /a:
                get:
                  parameters:
                    - {name: q, in: query, style: simple, schema: {type: string}}
                  responses: {'200': {description: OK}}
            """)) == [
            "spec.yaml:9:39: error: style 'simple' is not allowed for a query parameter; expected form, spaceDelimited, pipeDelimited, deepObject",
        ])
    }

    @Test func requestBodiesResponsesAndHeaders() throws {
        let document = try parseValid(spec(paths: """

              /tokens:
                post:
                  requestBody:
                    required: true
                    description: The new token
                    content:
                      application/json:
                        schema: {type: object}
                        example: {token_label: ci}
                      application/merge-patch+json: {}
                  responses:
                    '201':
                      description: Created
                      headers:
                        Location: {required: true, schema: {type: string}}
                        X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
                      content:
                        application/json: {schema: {type: object}}
            """, components: """
            headers:
              CorrelationID:
                description: Request id
                schema: {type: string, pattern: '^[0-9a-f]{32}$'}
            """))
        let operation = document.operations[0]
        let body = try #require(operation.requestBody?.value)
        #expect(body.required)
        #expect(body.description == "The new token")
        #expect(body.content.keys == ["application/json", "application/merge-patch+json"])
        #expect(body.content["application/json"]?.examples.count == 1)
        let created = try #require(operation.responses["201"]?.value)
        #expect(created.description == "Created")
        #expect(created.headers.keys == ["Location", "X-Correlation-ID"])
        #expect(created.headers["Location"]?.value?.required == true)
        #expect(created.headers["X-Correlation-ID"]?.reference?.ref == "#/components/headers/CorrelationID")
        #expect(document.components.headers["CorrelationID"]?.value?.schema?.value?.pattern == "^[0-9a-f]{32}$")
    }

    @Test func componentsOfEveryKind() throws {
        let document = try parseValid(spec(paths: "{}", components: """
            schemas:
              Token: {type: object}
            responses:
              NotFound: {description: Not found}
            parameters:
              Cursor: {name: cursor, in: query, schema: {type: string}}
            requestBodies:
              NewToken: {content: {application/json: {schema: {$ref: '#/components/schemas/Token'}}}}
            headers:
              RateLimit: {schema: {type: integer}}
            securitySchemes:
              BearerAuth: {type: http, scheme: bearer, bearerFormat: opaque}
              ApiKey: {type: apiKey, name: X-API-Key, in: header}
              OAuth:
                type: oauth2
                flows:
                  clientCredentials:
                    tokenUrl: /oauth/token
                    scopes: {admin: Administer, write: Write}
            pathItems:
              Health:
                get: {responses: {'200': {description: OK}}}
            examples:
              One: {value: 1}
            """))
        let components = document.components
        #expect(components.schemas.keys == ["Token"])
        #expect(components.responses.keys == ["NotFound"])
        #expect(components.parameters["Cursor"]?.value?.name == "cursor")
        #expect(components.requestBodies["NewToken"]?.value?.content["application/json"]?.schema?.reference?.name == "Token")
        #expect(components.headers.keys == ["RateLimit"])
        #expect(components.securitySchemes["BearerAuth"]?.value?.kind == .http)
        #expect(components.securitySchemes["BearerAuth"]?.value?.scheme == "bearer")
        #expect(components.securitySchemes["BearerAuth"]?.value?.bearerFormat == "opaque")
        #expect(components.securitySchemes["ApiKey"]?.value?.location == .header)
        #expect(components.securitySchemes["OAuth"]?.value?.scopes.keys == ["admin", "write"])
        #expect(components.pathItems["Health"]?.value?.operations.first?.method == .get)
    }

    @Test func securityRequirementsWithScopes() throws {
        let document = try parseValid(spec(paths: """

              /tokens:
                get:
                  security: [{BearerAuth: [admin]}, {}]
                  responses: {'200': {description: OK}}
              /healthz:
                get:
                  security: []
                  responses: {'200': {description: OK}}
            """, components: """
            securitySchemes:
              BearerAuth: {type: http, scheme: bearer}
            """, extra: "security:\n  - BearerAuth: [read]\n"))
        #expect(document.security?.first?.entries.map(\.scheme) == ["BearerAuth"])
        #expect(document.security?.first?.entries.first?.scopes == ["read"])
        let tokens = document.operations[0]
        #expect(tokens.security?.count == 2)
        #expect(tokens.security?[0].entries.first?.scopes == ["admin"])
        #expect(tokens.security?[1].entries.isEmpty == true)
        #expect(document.operations[1].security?.isEmpty == true)
    }

    @Test func webhooksOnlyDocument() throws {
        let document = try parseValid("""
            openapi: 3.1.0
            info: {title: Hooks, version: '1'}
            webhooks:
              newToken:
                post:
                  requestBody: {content: {application/json: {schema: {type: object}}}}
                  responses: {'200': {description: OK}}
            """)
        #expect(document.paths.isEmpty)
        #expect(document.webhooks["newToken"]?.operations.first?.method == .post)
    }

    @Test func unknownKeysAreWarnedAndExtensionsKept() {
        #expect(diagnosticLines(spec(paths: """

              /a:
                get:
                  operationID: typo
                  x-internal: true
                  responses: {'200': {description: OK}}
            """)) == [
            "spec.yaml:8:7: warning: unknown key 'operationID' in operation GET /a is ignored",
        ])
    }
}

@Suite struct SchemaModelTests {
    func schema(_ yaml: String, version: String = "3.1.0") throws -> Schema {
        let document = try parseValid(spec(version: version, components: "schemas:\n  S:\n" + yaml.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")))
        return try #require(document.components.schemas["S"]?.value)
    }

    @Test func objectWithRequiredOptionalAndMaps() throws {
        let s = try schema("""
            type: object
            title: Token
            description: An API token.
            required: [token_id, token_label]
            properties:
              token_id: {type: string, format: uuid, readOnly: true}
              token_label: {type: string, minLength: 1, maxLength: 100, pattern: '^[^\\n]+$'}
              metadata:
                type: object
                additionalProperties: {type: string}
              strict:
                type: object
                additionalProperties: false
                minProperties: 1
                maxProperties: 3
            x-swift-name: TokenModel
            """)
        #expect(s.types == [.object])
        #expect(s.title == "Token")
        #expect(s.description == "An API token.")
        #expect(s.required == ["token_id", "token_label"])
        #expect(s.properties.keys == ["token_id", "token_label", "metadata", "strict"])
        let id = try s.properties["token_id"]!.require()
        #expect(id.format == "uuid" && id.readOnly)
        let label = try s.properties["token_label"]!.require()
        #expect(label.minLength == 1 && label.maxLength == 100 && label.pattern == "^[^\\n]+$")
        guard case .schema(let values)? = try s.properties["metadata"]!.require().additionalProperties else {
            Issue.record("metadata is not a map")
            return
        }
        #expect(values.value?.singleType == .string)
        let strict = try s.properties["strict"]!.require()
        guard case .allowed(false)? = strict.additionalProperties else {
            Issue.record("additionalProperties: false lost")
            return
        }
        #expect(strict.minProperties == 1 && strict.maxProperties == 3)
        #expect(s.extensions["x-swift-name"] == .string("TokenModel"))
    }

    @Test func nullable30And31() throws {
        let v30 = try schema("type: string\nnullable: true", version: "3.0.3")
        #expect(v30.types == [.string] && v30.isNullable)
        let v31 = try schema("type: [string, 'null']")
        #expect(v31.types == [.string] && v31.isNullable && !v31.isNullOnly)
        let nullOnly = try schema("type: 'null'")
        #expect(nullOnly.types.isEmpty && nullOnly.isNullOnly)
        let multi = try schema("type: [integer, string]")
        #expect(multi.types == [.integer, .string] && !multi.isNullable)
    }

    @Test func enumsConstDefaultAndExamples() throws {
        let s = try schema("""
            type: string
            enum: [READ_ONLY, FULL_ACCESS, on, 2022-01-23]
            default: READ_ONLY
            const: FULL_ACCESS
            example: READ_ONLY
            deprecated: true
            writeOnly: true
            """)
        // YAML 1.2: `on` and `2022-01-23` stay strings in an enum.
        #expect(s.enumValues == [.string("READ_ONLY"), .string("FULL_ACCESS"), .string("on"), .string("2022-01-23")])
        #expect(s.defaultValue == .string("READ_ONLY"))
        #expect(s.constValue == .string("FULL_ACCESS"))
        #expect(s.examples == [.string("READ_ONLY")])
        #expect(s.deprecated && s.writeOnly)
        let ints = try schema("type: integer\nenum: [1, 2, 3]\nexamples: [2]")
        #expect(ints.enumValues == [.int(1), .int(2), .int(3)])
        #expect(ints.examples == [.int(2)])
    }

    @Test func arrays() throws {
        let s = try schema("""
            type: array
            items: {type: string, format: date-time}
            minItems: 1
            maxItems: 1000
            uniqueItems: true
            """)
        #expect(s.items?.value?.format == "date-time")
        #expect(s.minItems == 1 && s.maxItems == 1000 && s.uniqueItems)
        let tuple = try schema("type: array\nprefixItems: [{type: string}, {type: integer}]")
        #expect(tuple.prefixItems.count == 2)
    }

    @Test func numericBounds30And31() throws {
        let v30 = try schema("type: integer\nminimum: 1\nmaximum: 1000\nexclusiveMaximum: true\nmultipleOf: 5", version: "3.0.0")
        #expect(v30.minimum == NumericBound(value: 1, text: "1", isExclusive: false))
        #expect(v30.maximum == NumericBound(value: 1000, text: "1000", isExclusive: true))
        #expect(v30.multipleOf == 5)
        let v31 = try schema("type: number\nexclusiveMinimum: 0\nmaximum: 2.5")
        #expect(v31.minimum == NumericBound(value: 0, text: "0", isExclusive: true))
        #expect(v31.maximum == NumericBound(value: 2.5, text: "2.5", isExclusive: false))
    }

    @Test func compositionAndDiscriminator() throws {
        let document = try parseValid(spec(components: """
            schemas:
              Identity:
                oneOf:
                  - $ref: '#/components/schemas/User'
                  - $ref: '#/components/schemas/ServiceUser'
                discriminator:
                  propertyName: type
                  mapping:
                    USER: '#/components/schemas/User'
                    SERVICE_USER: ServiceUser
              User:
                allOf:
                  - $ref: '#/components/schemas/Base'
                  - type: object
                    properties: {email: {type: string}}
              ServiceUser:
                anyOf: [{$ref: '#/components/schemas/Base'}, {type: object}]
                not: {type: string}
              Base:
                type: object
                properties: {type: {type: string}}
            """))
        let schemas = document.components.schemas
        let identity = try schemas["Identity"]!.require()
        #expect(identity.oneOf.compactMap(\.reference?.name) == ["User", "ServiceUser"])
        #expect(identity.discriminator?.propertyName == "type")
        #expect(identity.discriminator?.mapping["USER"] == "#/components/schemas/User")
        #expect(identity.discriminator?.mapping["SERVICE_USER"] == "#/components/schemas/ServiceUser")
        let user = try schemas["User"]!.require()
        #expect(user.allOf.count == 2 && user.allOf[0].reference?.name == "Base")
        let service = try schemas["ServiceUser"]!.require()
        #expect(service.anyOf.count == 2)
        #expect(service.not?.value?.singleType == .string)
    }

    @Test func referenceWithSiblingConstraintsBecomesAllOf() throws {
        let document = try parseValid(spec(components: """
            schemas:
              Level: {type: string, enum: [READ_ONLY, FULL_ACCESS]}
              Token:
                type: object
                properties:
                  access_level:
                    $ref: '#/components/schemas/Level'
                    description: What the token may do.
                  old_level:
                    $ref: '#/components/schemas/Level'
                    deprecated: true
            """))
        let token = try document.components.schemas["Token"]!.require()
        // A description beside $ref annotates the reference itself.
        let level = try #require(token.properties["access_level"]?.reference)
        #expect(level.name == "Level" && level.description == "What the token may do.")
        // Anything else makes a schema that is the reference AND the siblings.
        let old = try token.properties["old_level"]!.require()
        #expect(old.allOf.first?.reference?.name == "Level" && old.deprecated)
    }

    @Test func recursiveSchemas() throws {
        let document = try parseValid(spec(components: """
            schemas:
              Filter:
                type: object
                properties:
                  allOf: {type: array, items: {$ref: '#/components/schemas/Filter'}}
                  anyOf: {type: array, items: {$ref: '#/components/schemas/Filter'}}
                  not: {$ref: '#/components/schemas/Filter'}
            """))
        let filter = try document.components.schemas["Filter"]!.require()
        // Opal's AccessEntityFilters: property *names* that are also keywords.
        #expect(filter.properties.keys == ["allOf", "anyOf", "not"])
        #expect(filter.allOf.isEmpty && filter.not == nil)
        #expect(filter.properties["not"]?.reference?.name == "Filter")
    }

    @Test func booleanSchemas() throws {
        let document = try parseValid(spec(components: "schemas:\n  Anything: true\n  Nothing: false\n"))
        #expect(document.components.schemas["Anything"]?.value?.not == nil)
        #expect(document.components.schemas["Nothing"]?.value?.not != nil)
    }

    @Test func unsupportedKeywordsWarnAndTheRestApplies() throws {
        let result = parse(spec(components: """
            schemas:
              S:
                type: object
                patternProperties: {'^x-': {type: string}}
                maxProperties: 4
            """))
        #expect(result.diagnostics.sorted.map(\.description) == [
            "spec.yaml:10:7: warning: the JSON Schema keyword 'patternProperties' is not supported; it is ignored",
        ])
        #expect(result.document?.components.schemas["S"]?.value?.maxProperties == 4)
    }

    @Test func yaml11BooleanWhereABooleanIsExpected() {
        #expect(diagnosticLines(spec(components: "schemas:\n  S: {type: string, deprecated: yes}\n")) == [
            "spec.yaml:8:35: error: 'deprecated' must be true or false, not the string 'yes' (YAML 1.1 spellings of booleans are strings in YAML 1.2; write true or false)",
        ])
    }

    @Test func unknownTypeIsAnError() {
        #expect(diagnosticLines(spec(components: "schemas:\n  S: {type: strng}\n")) == [
            "spec.yaml:8:15: error: unknown type 'strng'; expected string, number, integer, boolean, array, object or null",
        ])
    }
}
