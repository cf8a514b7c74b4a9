#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import LocalFiles
import Synchronization

/// Writes log lines to a file descriptor from one background thread, so a
/// thread that logs appends its line to memory instead of making a write(2).
///
/// Under load the writer gathers the lines of about a millisecond into one
/// write (at 30 000 requests/s, one system call for some 30 lines instead of
/// 30); when idle it sleeps until the first new line. Lines are never split
/// or reordered.
///
/// **Back-pressure: drop and count.** At most `limit` bytes wait in memory.
/// When the descriptor cannot keep up (a stalled pipe, a full disk), a line
/// that does not fit is dropped and counted, and the count is written as a
/// line of its own (``LogLine/droppedNotice(count:)``) once the output moves
/// again. Blocking instead would make every request thread wait on a slow
/// reader of standard error, turning a logging stall into a service outage;
/// Tessera's audit trail is its `events` table, not its log.
///
/// `flush()` returns once every line appended before it is written;
/// `shutdown()` also ends the writer thread, after which lines are written
/// by the thread that appends them. `tessera` shuts the writer down as it
/// exits, so SIGINT and SIGTERM lose nothing; a SIGKILL loses at most the
/// last millisecond's lines.
///
/// ```swift
/// let writer = LogWriter(descriptor: 2)
/// "hello\n".utf8.withContiguousStorageIfAvailable { writer.append(UnsafeRawBufferPointer($0)) }
/// writer.shutdown()
/// ```
public final class LogWriter: Sendable {
    /// The writer for standard error that ``LineLogHandler`` uses by default.
    public static let standardError = LogWriter(descriptor: 2)

    private struct State {
        var pending: [UInt8] = []
        /// Bytes appended and bytes written since the start, for `flush()`.
        var appended = 0
        var written = 0
        var dropped = 0
        var droppedSinceNotice = 0
        /// The writer thread waits on `wake`; whoever makes it work signals.
        var sleeping = false
        var stopping = false
        var stopped = false
        var flushWaiters: [(upTo: Int, semaphore: DispatchSemaphore)] = []
    }

    private let descriptor: Int32
    private let limit: Int
    private let gatherMicroseconds: UInt32
    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts a writer thread for `descriptor`.
    ///
    /// - Parameters:
    ///   - descriptor: where lines go; the writer does not close it.
    ///   - limit: the bytes that may wait to be written; past it lines are
    ///     dropped and counted.
    ///   - gatherMicroseconds: how long the writer waits, once woken, for
    ///     more lines to join the same write.
    public init(descriptor: Int32, limit: Int = 4 << 20, gatherMicroseconds: UInt32 = 1000) {
        self.descriptor = descriptor
        self.limit = limit
        self.gatherMicroseconds = gatherMicroseconds
        var initial = State()
        initial.pending.reserveCapacity(min(limit, 64 << 10))
        state = Mutex(initial)
        let thread = Thread { [self] in run() }
        thread.name = "log-writer"
        thread.start()
    }

    /// Lines dropped since the start because `limit` bytes were waiting.
    public var droppedLineCount: Int { state.withLock { $0.dropped } }

    /// Bytes appended and not yet written; never more than `limit`.
    public var pendingByteCount: Int { state.withLock { $0.pending.count } }

    /// Queues `line` (which ends in a newline) for writing, or drops it if
    /// `limit` bytes are already waiting. Never waits for the descriptor,
    /// except after `shutdown()`, when it writes the line itself.
    public func append(_ line: UnsafeRawBufferPointer) {
        enum Outcome { case queued(wake: Bool), dropped, writeNow }
        let outcome = state.withLock { state -> Outcome in
            if state.stopped { return .writeNow }
            guard state.pending.count + line.count <= limit else {
                state.dropped += 1
                state.droppedSinceNotice += 1
                return .dropped
            }
            state.pending.append(contentsOf: line)
            state.appended += line.count
            let wake = state.sleeping
            state.sleeping = false
            return .queued(wake: wake)
        }
        switch outcome {
        case .queued(let wake):
            if wake { self.wake.signal() }
        case .dropped:
            break
        case .writeNow:
            _ = FileIO.writeAll(line, to: descriptor)
        }
    }

    /// Waits until every line appended before this call has been written.
    public func flush() {
        let semaphore = DispatchSemaphore(value: 0)
        let wait = state.withLock { state -> Bool in
            if state.written >= state.appended || state.stopped { return false }
            state.flushWaiters.append((state.appended, semaphore))
            return true
        }
        if wait { semaphore.wait() }
    }

    /// Writes everything pending, then ends the writer thread. Later lines
    /// are written directly by the threads that append them.
    public func shutdown() {
        let wakeWriter = state.withLock { state -> Bool? in
            if state.stopping { return nil }
            state.stopping = true
            let wake = state.sleeping
            state.sleeping = false
            return wake
        }
        guard let wakeWriter else {
            flush()
            return
        }
        if wakeWriter { wake.signal() }
        finished.wait()
    }

    private func run() {
        var batch: [UInt8] = []
        batch.reserveCapacity(min(limit, 64 << 10))
        while true {
            enum Next { case write, sleep, stop([DispatchSemaphore]) }
            let next = state.withLock { state -> Next in
                if !state.pending.isEmpty || state.droppedSinceNotice > 0 { return .write }
                guard state.stopping else {
                    state.sleeping = true
                    return .sleep
                }
                // Decided under the lock: from here on appenders write themselves.
                state.stopped = true
                defer { state.flushWaiters.removeAll() }
                return .stop(state.flushWaiters.map(\.semaphore))
            }
            switch next {
            case .sleep:
                wake.wait()
                continue
            case .stop(let waiters):
                for waiter in waiters { waiter.signal() }
                finished.signal()
                return
            case .write:
                break
            }
            // Let the lines of the next moment join this one's write.
            usleep(gatherMicroseconds)
            let dropped = state.withLock { state in
                swap(&batch, &state.pending)
                defer { state.droppedSinceNotice = 0 }
                return state.droppedSinceNotice
            }
            let lineBytes = batch.count
            if dropped > 0 { batch.append(contentsOf: LogLine.droppedNotice(count: dropped)) }
            batch.withUnsafeBytes { _ = FileIO.writeAll($0, to: descriptor) }
            batch.removeAll(keepingCapacity: true)
            let released = state.withLock { state -> [DispatchSemaphore] in
                state.written += lineBytes
                let written = state.written
                defer { state.flushWaiters.removeAll { $0.upTo <= written } }
                return state.flushWaiters.filter { $0.upTo <= written }.map(\.semaphore)
            }
            for waiter in released { waiter.signal() }
        }
    }
}
