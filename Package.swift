// swift-tools-version: 6.1
//
// Tessera: a self-hosted API-token service whose HTTP contract lives in one
// `openapi.yaml`. The targets follow the one-way flow of the product:
//
//   openapi.yaml ─▶ YAMLLoader ─▶ OpenAPIParser ─▶ OpenAPIModel ─▶ (Swift) ─▶ server
//
// - CLibYAML:             the system libyaml (Debian `libyaml-dev`), via pkg-config.
// - GeneratorDiagnostics: source locations and `FILE:LINE:COL: error:` diagnostics.
// - YAMLLoader:           libyaml events → a node tree where every node knows its line.
// - OpenAPIModel:         the typed OpenAPI 3.0/3.1 model (plain values, no parsing).
// - OpenAPIParser:        node tree → model, `$ref` resolution across files, checks.
// - SwiftRepresentation:  a structured description of the Swift to generate.
// - OpenAPITranslator:    model → that description (types, operations, routes).
// - SwiftRenderer:        prints that description as formatted Swift.
// - OpenAPIGenerator:     the pipeline parse → translate → render → files.
// - openapi-codegen:      the generator's command-line front door.
// - OpenAPIGeneratorPlugin: runs it at build time on a target's openapi.yaml.
// - TesseraAPI:           Tessera's own contract, generated from openapi.yaml.
// - APIRuntime:           what generated code calls at run time (JSON, validation,
//                         parameters); spec-agnostic, no dependencies.
// - APIServer:            the HTTP side of generated routes on Hummingbird 2: route
//                         matching (404/405), security, bodies, the error format,
//                         request counts and latencies through swift-metrics.
// - APIClient:            what generated clients call at run time: the transport
//                         protocol, request building, response checks, credentials,
//                         and `URLSessionTransport` (Foundation; no package added).
// - TesseraClient:        a client for Tessera's own API, generated from openapi.yaml
//                         (types + client, chosen by its openapi-codegen.json).
// - TesseraCore:          token secrets: format, CSPRNG, CRC32 checksum; SHA-256
//                         from swift-crypto.
// - TesseraStore:         the storage protocol (`TokenStore`), its records, errors
//                         and keyset pages; no database code.
// - TesseraSQLite:        `SQLiteStore`, through GRDB: migrations, queries.
// - TesseraPostgres:      `PostgresStore`, through PostgresNIO: the same schema
//                         and rules for many instances on one database.
//                         Both stores time their connection waits (swift-metrics).
// - TesseraConsole:       the web console's files (Assets/, compiled in as
//                         ConsoleFiles.swift by scripts/embed-console) and the
//                         responder that serves them at /console.
// - TesseraService:       the hand-written service: APIProtocol over the store,
//                         the authenticator, the verification cache, events,
//                         and its metrics (swift-metrics API only).
// - LineLogging:          the one-line log format, its swift-log handler and the
//                         writer thread that gathers lines into few write(2)s,
//                         dropping and counting lines when the output stalls.
// - tessera:              the executable: `serve`, `bootstrap` and `backup`; the
//                         only target that picks a metrics backend (it bootstraps
//                         swift-metrics with swift-prometheus for `GET /metrics`).
// - HTTPTestClient:       `LoopbackClient`, a small blocking HTTP/1.1 client for
//                         loopback tests.
// - TestSupport (Tests/TestSupport): what the test targets share: `Locations`
//                         (package root, corpus specs, built executables), `run`
//                         for commands, `SeededGenerator`, and
//                         `withRunningApplication` for live servers in process.
import PackageDescription

/// A product of one of the packages APIServer runs on (Hummingbird and the
/// SwiftNIO, swift-log and swift-metrics packages under it): a dependency
/// only with the trait `Server`, so that a package using Tessera's generator
/// for a client alone does not resolve them. Every use of these packages goes
/// through here; one plain `.product` would make every consumer fetch its package.
func server(_ product: String, _ package: String) -> Target.Dependency {
    .product(name: product, package: package, condition: .when(traits: ["Server"]))
}

/// A product of one of the packages only the tessera service uses (its
/// stores, hashing, metrics backend, command line): a dependency only with
/// the trait `Service`, which a package using the generator leaves off.
func service(_ product: String, _ package: String) -> Target.Dependency {
    .product(name: product, package: package, condition: .when(traits: ["Service"]))
}

let package = Package(
    name: "Tessera",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "openapi-codegen", targets: ["openapi-codegen"]),
        .library(name: "APIRuntime", targets: ["APIRuntime"]),
        .library(name: "APIServer", targets: ["APIServer"]),
        .library(name: "TesseraAPI", targets: ["TesseraAPI"]),
        .library(name: "APIClient", targets: ["APIClient"]),
        .library(name: "TesseraClient", targets: ["TesseraClient"]),
        .executable(name: "tessera", targets: ["tessera"]),
        .plugin(name: "OpenAPIGeneratorPlugin", targets: ["OpenAPIGeneratorPlugin"]),
    ],
    // What a package that depends on Tessera resolves: SwiftPM fetches a
    // dependency only when a target dependency on it is on for the traits
    // in use, whichever products that package builds. Tessera's own builds
    // (`swift build`, `swift test`, `swift run tessera`) use the default,
    // every trait; a package that uses only the generator asks for less:
    //
    //   .package(path: "../tessera", traits: ["Server"])  // APIServer: Hummingbird's packages only
    //   .package(path: "../tessera", traits: [])          // generator, APIRuntime, APIClient: no package
    traits: [
        .trait(
            name: "Server",
            description: "APIServer, the run time of generated servers: Hummingbird, SwiftNIO, swift-log, swift-metrics."
        ),
        .trait(
            name: "Service",
            description: "The tessera service itself: its stores (GRDB, PostgresNIO), swift-crypto, swift-prometheus, swift-argument-parser.",
            enabledTraits: ["Server"]
        ),
        .default(enabledTraits: ["Service"]),
    ],
    dependencies: [
        // Server (see `server(_:_:)` above). Hummingbird without its default
        // trait ConfigurationSupport (initializers from swift-configuration's
        // ConfigReader, which nothing here uses): swift-configuration's
        // Configuration module is then not compiled, here or in a consumer's
        // build (the package is still resolved: AsyncHTTPClient names it).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // Service (see `service(_:_:)` above).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "GeneratorDiagnostics"),
        .target(name: "LocalFiles"),
        .target(name: "YAMLLoader", dependencies: ["CLibYAML", "GeneratorDiagnostics", "LocalFiles"]),
        .target(name: "OpenAPIModel", dependencies: ["GeneratorDiagnostics"]),
        .target(name: "OpenAPIParser", dependencies: ["YAMLLoader", "OpenAPIModel", "GeneratorDiagnostics", "LocalFiles"]),
        .target(name: "SwiftRepresentation"),
        .target(name: "SwiftRenderer", dependencies: ["SwiftRepresentation"]),
        .target(name: "OpenAPITranslator", dependencies: ["OpenAPIModel", "SwiftRepresentation", "GeneratorDiagnostics"]),
        .target(name: "OpenAPIGenerator", dependencies: ["OpenAPIParser", "OpenAPITranslator", "SwiftRenderer", "LocalFiles"]),
        .executableTarget(
            name: "openapi-codegen",
            dependencies: ["OpenAPIGenerator", "OpenAPITranslator", "LocalFiles"]
        ),
        .target(name: "APIRuntime"),
        .target(
            name: "APIServer",
            dependencies: [
                "APIRuntime",
                server("Hummingbird", "hummingbird"),
                server("HummingbirdCore", "hummingbird"),
                server("HTTPTypes", "swift-http-types"),
                server("Logging", "swift-log"),
                server("Metrics", "swift-metrics"),
                server("NIOCore", "swift-nio"),
                server("NIOHTTP1", "swift-nio"),
                server("NIOHTTPTypes", "swift-nio-extras"),
                server("NIOHTTPTypesHTTP1", "swift-nio-extras"),
                server("ServiceLifecycle", "swift-service-lifecycle"),
                server("UnixSignals", "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "APIRuntimeTests", dependencies: ["APIRuntime"]),
        .target(name: "APIClient", dependencies: ["APIRuntime"]),
        .plugin(name: "OpenAPIGeneratorPlugin", capability: .buildTool(), dependencies: ["openapi-codegen"]),
        // Tessera's own contract, generated from the root openapi.yaml.
        .target(
            name: "TesseraAPI",
            dependencies: ["APIRuntime", "APIServer", server("Hummingbird", "hummingbird")],
            plugins: ["OpenAPIGeneratorPlugin"]
        ),
        // A client for Tessera's API, from the same openapi.yaml; the
        // service never depends on it (nor on the client's transport).
        .target(
            name: "TesseraClient",
            dependencies: ["APIRuntime", "APIClient"],
            exclude: ["openapi-codegen.json"],
            plugins: ["OpenAPIGeneratorPlugin"]
        ),
        .target(name: "TesseraCore", dependencies: [service("Crypto", "swift-crypto")]),
        .target(name: "TesseraStore", dependencies: ["TesseraCore"]),
        .target(
            name: "TesseraSQLite",
            dependencies: [
                "TesseraStore", "TesseraCore",
                service("GRDB", "GRDB.swift"),
                server("Metrics", "swift-metrics"),
            ]
        ),
        .target(
            name: "TesseraPostgres",
            dependencies: [
                "TesseraStore",
                service("PostgresNIO", "postgres-nio"),
                server("Logging", "swift-log"),
                server("Metrics", "swift-metrics"),
            ]
        ),
        .target(
            name: "TesseraConsole",
            dependencies: [
                "APIServer",
                service("Crypto", "swift-crypto"),
                server("Hummingbird", "hummingbird"),
                server("HTTPTypes", "swift-http-types"),
            ],
            exclude: ["Assets"]
        ),
        .target(
            name: "TesseraService",
            dependencies: [
                "TesseraAPI", "TesseraStore", "TesseraSQLite", "TesseraPostgres", "TesseraCore", "TesseraConsole",
                service("Crypto", "swift-crypto"),
                server("Hummingbird", "hummingbird"),
                server("Logging", "swift-log"),
                server("Metrics", "swift-metrics"),
                server("ServiceLifecycle", "swift-service-lifecycle"),
            ]
        ),
        // Log lines gathered off the request threads (swift-log's LogHandler).
        .target(
            name: "LineLogging",
            dependencies: ["LocalFiles", server("Logging", "swift-log")]
        ),
        .testTarget(name: "LineLoggingTests", dependencies: ["LineLogging", "LocalFiles"]),
        .executableTarget(
            name: "tessera",
            dependencies: [
                "APIServer",
                "LineLogging",
                "TesseraService",
                "TesseraStore",
                "TesseraSQLite",
                service("ArgumentParser", "swift-argument-parser"),
                server("Logging", "swift-log"),
                server("Metrics", "swift-metrics"),
                service("Prometheus", "swift-prometheus"),
            ]
        ),
        .target(name: "HTTPTestClient"),
        // What every test target shares: where the package, the corpus specs
        // and the built executables are, a command runner, a seeded generator
        // and a live application in process (withRunningApplication).
        .target(
            name: "TestSupport",
            dependencies: [
                "HTTPTestClient",
                server("Hummingbird", "hummingbird"),
                server("Logging", "swift-log"),
                server("ServiceLifecycle", "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport"
        ),
        // The loopback client's own tests, against a plain Hummingbird router.
        .testTarget(
            name: "HTTPTestClientTests",
            dependencies: [
                "HTTPTestClient", "TestSupport",
                server("Hummingbird", "hummingbird"),
                server("HTTPTypes", "swift-http-types"),
                server("Logging", "swift-log"),
            ]
        ),
        .testTarget(name: "TesseraCoreTests", dependencies: ["TesseraCore", "TestSupport"]),
        // The storage protocol's rules, each test run in process against
        // SQLite (a temporary file) and PostgreSQL (a fresh database beside
        // TESSERA_TEST_POSTGRES; `scripts/postgres start` makes one).
        .testTarget(
            name: "TesseraStoreTests",
            dependencies: [
                "TesseraStore", "TesseraSQLite", "TesseraPostgres",
                server("Logging", "swift-log"),
            ]
        ),
        // Drives the built `tessera` executable over real HTTP with a real
        // SQLite file (the binary is found beside the test bundle); the
        // rules that depend on time run `TesseraServer` in process with a
        // controllable clock instead (InProcessTessera, ManualClock).
        // With TESSERA_TEST_BACKEND=postgres each server gets a fresh
        // PostgreSQL database beside TESSERA_TEST_POSTGRES instead.
        .testTarget(
            name: "TesseraServiceTests",
            dependencies: [
                "HTTPTestClient", "TestSupport", "TesseraCore", "APIRuntime", "TesseraStore", "TesseraPostgres",
                "TesseraService", server("Logging", "swift-log"),
                // The generated client: tests of behaviour read typed answers.
                "TesseraClient", "APIClient",
                // To sign secret-scanning reports as GitHub does.
                service("Crypto", "swift-crypto"),
            ]
        ),
        // Live HTTP tests of generated routes; their code comes from the
        // openapi.yaml beside them, through the build plugin.
        .testTarget(
            name: "GeneratedServerTests",
            dependencies: [
                "APIRuntime", "APIServer", "HTTPTestClient", "TestSupport",
                server("Hummingbird", "hummingbird"),
                server("HTTPTypes", "swift-http-types"),
                server("Logging", "swift-log"),
                server("ServiceLifecycle", "swift-service-lifecycle"),
            ],
            exclude: ["openapi.yaml"],
            plugins: ["OpenAPIGeneratorPlugin"]
        ),
        // The generated client against the generated server over loopback
        // HTTP, both from the petstore-expanded openapi.yaml beside them
        // (openapi-codegen.json there chooses types, server and client).
        .testTarget(
            name: "GeneratedClientTests",
            dependencies: [
                "APIRuntime", "APIServer", "APIClient",
                server("Hummingbird", "hummingbird"), server("Logging", "swift-log"),
            ],
            exclude: ["openapi.yaml", "openapi-codegen.json"],
            plugins: ["OpenAPIGeneratorPlugin"]
        ),
        // TesseraClient against the real `tessera` executable (built beside
        // the test bundle) over loopback HTTP.
        .testTarget(name: "TesseraClientTests", dependencies: ["TesseraClient", "APIClient", "APIRuntime"]),
        .testTarget(
            name: "OpenAPITranslatorTests",
            dependencies: [
                "OpenAPIGenerator", "OpenAPITranslator", "SwiftRenderer", "SwiftRepresentation", "OpenAPIParser",
                "GeneratorDiagnostics", "TestSupport",
            ],
            exclude: ["References"]
        ),
        .testTarget(name: "YAMLLoaderTests", dependencies: ["YAMLLoader", "GeneratorDiagnostics"]),
        .testTarget(name: "OpenAPIParserTests", dependencies: ["OpenAPIParser", "OpenAPIModel", "GeneratorDiagnostics"]),
        // Drives the built `openapi-codegen` as a user does (`swift build
        // --build-tests` builds it; depending on the executable here would
        // link it twice beside the plugin's copy of the tool).
        .testTarget(
            name: "OpenAPICodegenCLITests",
            dependencies: ["OpenAPIParser", "OpenAPIModel", "GeneratorDiagnostics", "TestSupport"]
        ),
    ]
)
