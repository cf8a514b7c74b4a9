import Foundation
import Testing

/// Where the test inputs and the built tool are.
enum Paths {
    /// The package root (this file is Tests/OpenAPICodegenCLITests/Support.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The OpenAPI corpus: `../shared/specs` beside the checkout, or `TESSERA_SPECS`.
    static var specs: URL {
        if let override = ProcessInfo.processInfo.environment["TESSERA_SPECS"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/specs")
    }

    /// The `openapi-codegen` executable built beside this test bundle, or `OPENAPI_CODEGEN`.
    static var codegen: URL {
        if let override = ProcessInfo.processInfo.environment["OPENAPI_CODEGEN"] {
            return URL(fileURLWithPath: override)
        }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // On macOS the test binary sits inside Foo.xctest/Contents/MacOS.
        while folder.pathExtension == "xctest" || folder.lastPathComponent == "MacOS" || folder.lastPathComponent == "Contents" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("openapi-codegen")
    }
}

/// The corpus specs: every standalone file plus the multi-file Unkey root.
enum Corpus {
    struct Spec: CustomStringConvertible, Sendable {
        let relativePath: String
        let paths: Int
        let operations: Int
        var url: URL { Paths.specs.appendingPathComponent(relativePath) }
        var description: String { relativePath }
    }

    /// Path and operation counts as SOURCES.md gives them.
    static let specs: [Spec] = [
        Spec(relativePath: "opal.yaml", paths: 86, operations: 144),
        Spec(relativePath: "unkey-openapi.yaml", paths: 83, operations: 83),
        Spec(relativePath: "unkey-split/openapi-split.yaml", paths: 83, operations: 83),
        Spec(relativePath: "keycloak-23.0.0.yaml", paths: 208, operations: 316),
        Spec(relativePath: "snyk-rest.json", paths: 137, operations: 204),
        Spec(relativePath: "stripe-spec3.yaml", paths: 318, operations: 468),
        Spec(relativePath: "github-api.github.com-2020-07-30.yaml", paths: 403, operations: 623),
        Spec(relativePath: "petstore.yaml", paths: 2, operations: 3),
        Spec(relativePath: "petstore-expanded.yaml", paths: 2, operations: 4),
        Spec(relativePath: "webhook-example.yaml", paths: 0, operations: 0),
    ]
}

/// The outcome of one run of a command.
struct RunResult {
    var status: Int32
    /// False when the process died of a signal (a crash) rather than exiting.
    var exited: Bool
    var timedOut: Bool
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments`, killing it after `timeout` seconds.
/// With `memoryLimitKiB`, the process runs under `ulimit -v`, so runaway
/// memory use ends in a failed allocation instead of exhausting the machine.
func run(_ executable: URL, _ arguments: [String], timeout: TimeInterval = 60, memoryLimitKiB: Int? = nil) throws -> RunResult {
    let process = Process()
    if let memoryLimitKiB {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v \(memoryLimitKiB) && exec \"$0\" \"$@\"", executable.path] + arguments
    } else {
        process.executableURL = executable
        process.arguments = arguments
    }
    let stdoutFile = FileManager.default.temporaryDirectory.appendingPathComponent("codegen-\(UUID().uuidString).out")
    let stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("codegen-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: stdoutFile)
        try? FileManager.default.removeItem(at: stderrFile)
    }
    let out = try FileHandle(forWritingTo: stdoutFile)
    let err = try FileHandle(forWritingTo: stderrFile)
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    var timedOut = false
    while process.isRunning {
        if Date() > deadline {
            timedOut = true
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            break
        }
        usleep(2_000)
    }
    process.waitUntilExit()
    try out.close()
    try err.close()
    return RunResult(
        status: process.terminationStatus,
        exited: process.terminationReason == .exit,
        timedOut: timedOut,
        stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
    )
}

/// A small, seeded generator (SplitMix64), so every mutated copy can be
/// made again from its seed when a test reports it.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
