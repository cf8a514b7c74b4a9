import Foundation

/// Where the tests find their inputs and the executables they drive, the
/// same way in every test target.
public enum Locations {
    /// The package root (this file is Tests/TestSupport/Locations.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The OpenAPI corpus that the reference and corpus tests read:
    /// `$TESSERA_SPECS`, or `../shared/specs` beside the checkout.
    public static var specs: URL {
        if let override = ProcessInfo.processInfo.environment["TESSERA_SPECS"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/specs")
    }

    /// The `openapi-codegen` executable built beside the test bundle, or `$OPENAPI_CODEGEN`.
    public static var codegen: URL { builtExecutable("openapi-codegen", overriddenBy: "OPENAPI_CODEGEN") }

    /// The `tessera` executable built beside the test bundle, or `$TESSERA_BINARY`.
    public static var tessera: URL { builtExecutable("tessera", overriddenBy: "TESSERA_BINARY") }

    /// `name` in the build folder that holds the running test bundle, unless
    /// the environment variable `variable` names another file.
    public static func builtExecutable(_ name: String, overriddenBy variable: String) -> URL {
        if let override = ProcessInfo.processInfo.environment[variable] {
            return URL(fileURLWithPath: override)
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // On macOS the test binary sits inside Foo.xctest/Contents/MacOS.
        while folder.pathExtension == "xctest" || folder.lastPathComponent == "MacOS" || folder.lastPathComponent == "Contents" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent(name)
    }
}
