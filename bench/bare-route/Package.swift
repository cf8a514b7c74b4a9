// swift-tools-version: 6.1
//
// A bare Hummingbird 2 route for `bench/serve-bench`: the yardstick that
// Tessera's `GET /v1/self` is measured against (PRODUCT.md §7). Not part of
// the root Package.swift, so CI never builds it. Build it the way Tessera is
// built: `swift build -c release` (here with its own scratch path).
import PackageDescription

let package = Package(
    name: "BareRoute",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "bare-route",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
    ]
)
