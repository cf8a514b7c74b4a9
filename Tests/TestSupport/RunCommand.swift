import Foundation

/// The outcome of one run of a command.
public struct RunResult: Sendable {
    /// The exit status, or the signal's number when it did not exit.
    public var status: Int32
    /// False when the process died of a signal (a crash) rather than exiting.
    public var exited: Bool
    /// True when it was killed for outliving its timeout.
    public var timedOut: Bool
    /// What it wrote to standard output.
    public var stdout: String
    /// What it wrote to standard error.
    public var stderr: String
}

/// Runs `executable` with `arguments` to its end, with no standard input,
/// killing it after `timeout` seconds. With `memoryLimitKiB`, the process
/// runs under `ulimit -v`, so runaway memory use ends in a failed
/// allocation instead of exhausting the machine.
public func run(_ executable: URL, _ arguments: [String], timeout: TimeInterval = 60,
                memoryLimitKiB: Int? = nil) throws -> RunResult {
    let process = Process()
    if let memoryLimitKiB {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v \(memoryLimitKiB) && exec \"$0\" \"$@\"", executable.path] + arguments
    } else {
        process.executableURL = executable
        process.arguments = arguments
    }
    // Files rather than pipes: a chatty process never blocks on a full pipe
    // while this thread waits for it to end.
    let stdoutFile = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString).out")
    let stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString).err")
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
    let timedOut = waitForExit(process, killAfter: timeout)
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

/// Waits until `process` has ended, polling `isRunning` (which Foundation
/// updates from its own SIGCHLD handler) rather than `waitUntilExit()`,
/// whose run loop was seen to block both threads of the 2-core cooperative
/// pool for good; after `killAfter` seconds it sends SIGKILL. Returns
/// whether it had to.
@discardableResult
public func waitForExit(_ process: Process, killAfter: TimeInterval) -> Bool {
    var deadline = Date().addingTimeInterval(killAfter)
    var killed = false
    while process.isRunning {
        if Date() > deadline {
            kill(process.processIdentifier, SIGKILL)
            killed = true
            deadline = .distantFuture
        }
        usleep(2_000)
    }
    return killed
}
