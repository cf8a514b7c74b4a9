import Foundation

/// A `tessera serve` process (the executable built beside this test bundle,
/// or `TESSERA_BINARY`) on a free loopback port, with a fresh SQLite file,
/// bootstrapped: `adminSecret` is the first admin's token.
final class TesseraServer: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    let root: URL
    /// The first admin's token, from `tessera bootstrap`.
    let adminSecret: String
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-client-\(UUID().uuidString)")
    private let process = Process()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["TESSERA_BINARY"] { return URL(fileURLWithPath: override) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("tessera")
    }

    /// Bootstraps a database in a new folder, then serves it; returns once it listens.
    init() async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("tessera.sqlite3").path
        let log = folder.appendingPathComponent("log.txt")

        // The bootstrap's last line is the admin's secret.
        let bootstrap = Process()
        bootstrap.executableURL = Self.binary
        bootstrap.arguments = ["bootstrap", "--database", database]
        let output = Pipe()
        bootstrap.standardOutput = output
        bootstrap.standardError = FileHandle.nullDevice
        try bootstrap.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        bootstrap.waitUntilExit()
        guard bootstrap.terminationStatus == 0, let secret = text.split(separator: "\n").last.map(String.init) else {
            throw Failure(description: "tessera bootstrap failed (\(bootstrap.terminationStatus))")
        }
        adminSecret = secret

        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = Self.binary
        process.arguments = ["serve", "--database", database, "--host", "127.0.0.1", "--port", "0"]
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<3000 {
            let started = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = started.range(of: "listening on http://127.0.0.1:"),
               let port = Int(started[range.upperBound...].prefix(while: \.isNumber)) {
                root = URL(string: "http://127.0.0.1:\(port)")!
                return
            }
            guard process.isRunning else { throw Failure(description: "tessera serve exited: \(started)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.terminate()
        throw Failure(description: "tessera serve did not start within 60 s")
    }

    deinit {
        if process.isRunning {
            process.terminate()
            // Polled, not `waitUntilExit()` (see TesseraServiceTests' TesseraProcess.stop).
            while process.isRunning { usleep(10_000) }
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
