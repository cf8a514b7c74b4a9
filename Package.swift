// swift-tools-version: 6.0
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
// - APIRuntime:           what generated code calls at run time (JSON, validation,
//                         parameters); spec-agnostic, no dependencies.
import PackageDescription

let package = Package(
    name: "Tessera",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "openapi-codegen", targets: ["openapi-codegen"]),
        .library(name: "APIRuntime", targets: ["APIRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "GeneratorDiagnostics"),
        .target(name: "YAMLLoader", dependencies: ["CLibYAML", "GeneratorDiagnostics"]),
        .target(name: "OpenAPIModel", dependencies: ["GeneratorDiagnostics"]),
        .target(name: "OpenAPIParser", dependencies: ["YAMLLoader", "OpenAPIModel", "GeneratorDiagnostics"]),
        .target(name: "SwiftRepresentation"),
        .target(name: "SwiftRenderer", dependencies: ["SwiftRepresentation"]),
        .target(name: "OpenAPITranslator", dependencies: ["OpenAPIModel", "SwiftRepresentation", "GeneratorDiagnostics"]),
        .target(name: "OpenAPIGenerator", dependencies: ["OpenAPIParser", "OpenAPITranslator", "SwiftRenderer"]),
        .executableTarget(
            name: "openapi-codegen",
            dependencies: [
                "OpenAPIGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "APIRuntime"),
        .testTarget(name: "APIRuntimeTests", dependencies: ["APIRuntime"]),
        .testTarget(name: "OpenAPITranslatorTests", dependencies: ["OpenAPIGenerator", "OpenAPITranslator", "SwiftRenderer", "SwiftRepresentation", "OpenAPIParser", "GeneratorDiagnostics"]),
        .testTarget(name: "YAMLLoaderTests", dependencies: ["YAMLLoader", "GeneratorDiagnostics"]),
        .testTarget(name: "OpenAPIParserTests", dependencies: ["OpenAPIParser", "OpenAPIModel", "GeneratorDiagnostics"]),
        // Drives the built `openapi-codegen` as a user does, so it depends on it.
        .testTarget(
            name: "OpenAPICodegenCLITests",
            dependencies: ["openapi-codegen", "OpenAPIParser", "OpenAPIModel", "GeneratorDiagnostics"]
        ),
    ]
)
