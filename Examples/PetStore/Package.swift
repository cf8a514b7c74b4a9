// swift-tools-version: 6.1
//
// Two small servers generated from their OpenAPI descriptions by Tessera's
// generator: `petstore-server` (Swagger's petstore-expanded, an open API
// with its own error schema) and `notes-server` (a bearer-token API that
// answers errors as RFC 9457 problem details). README.md, "Using the
// generator in your own package", walks through it.
import PackageDescription

let package = Package(
    name: "PetStore",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Tessera checked out beside this package, in a folder named
        // `tessera` (a path dependency's identity is its folder's name).
        // From a release: .package(url: "https://github.com/<owner>/tessera", from: "<version>", traits: ["Server"]).
        // The trait `Server` is what APIServer needs (Hummingbird); without
        // `traits:` you get Tessera's default, its service's packages too.
        .package(path: "../tessera", traits: ["Server"]),
    ],
    targets: [
        // The generated code: the plugin reads each target's openapi.yaml.
        .target(
            name: "PetStoreAPI",
            dependencies: [.product(name: "APIServer", package: "tessera")],
            plugins: [.plugin(name: "OpenAPIGeneratorPlugin", package: "tessera")]
        ),
        .target(
            name: "NotesAPI",
            dependencies: [.product(name: "APIServer", package: "tessera")],
            plugins: [.plugin(name: "OpenAPIGeneratorPlugin", package: "tessera")]
        ),
        // The hand-written services and their entry points.
        .executableTarget(name: "petstore-server", dependencies: ["PetStoreAPI", .product(name: "APIServer", package: "tessera")]),
        .executableTarget(name: "notes-server", dependencies: ["NotesAPI", .product(name: "APIServer", package: "tessera")]),
    ]
)
