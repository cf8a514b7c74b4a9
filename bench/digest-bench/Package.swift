// swift-tools-version: 6.1
//
// The cost of hashing a secret, the one piece of cryptography on every
// authenticated request: swift-crypto's SHA-256 (what Tessera uses since
// issue 17) against the hand-written implementation it replaced (kept here,
// verbatim, only for this comparison). Not part of the root Package.swift,
// so CI never builds it: `bench/digest-bench/run`.
import PackageDescription

let package = Package(
    name: "DigestBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "digest-bench",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
    ]
)
