/// A digest of `openapi-codegen.json`'s bytes as the build plugin read them.
///
/// SwiftPM runs a build plugin again only when the package's manifest or
/// file list changes, not when a file's contents do
/// (swiftlang/swift-package-manager#7891), while the command the plugin
/// returned runs again whenever one of its inputs changes. So after an edit
/// of `openapi-codegen.json`, `openapi-codegen` would run with the settings
/// the file had when the build was planned, and quietly generate the old
/// files. The plugin passes the digest of the bytes it read
/// (`--plugin-configuration PATH --plugin-configuration-digest HEX`) and the
/// tool refuses to generate when the file now reads differently, saying how
/// to have the plugin run again. This file is compiled into both (a symbolic
/// link in Sources/openapi-codegen): a plugin cannot import a library target.
enum ConfigurationDigest {
    /// FNV-1a, 64 bits, as 16 lowercase hex digits: the same on every
    /// machine and run. It detects an edit; it is not a security measure.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// What the tool prints when the file at `path` no longer has the bytes
    /// the plugin read (`removed`: it is gone), in compiler format so that
    /// the build shows it at the file.
    static func staleMessage(path: String, removed: Bool) -> String {
        "\(path):1:1: error: \(removed ? "removed" : "changed") since SwiftPM planned this build, "
            + "which still uses the settings the file had then: SwiftPM runs a build plugin again only when "
            + "the package's manifest or files change (swiftlang/swift-package-manager#7891). "
            + "Touch Package.swift, then build again."
    }
}
