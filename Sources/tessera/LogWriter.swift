#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LocalFiles

/// Writes log lines to a file descriptor from one background thread, so a
/// request appends its line to memory instead of making a write(2) itself.
///
/// Under load the writer gathers the lines of about a millisecond into one
/// write (at 30 000 requests/s, one system call for some 30 lines instead of
/// 30); when idle it is woken by the first new line. Lines are never split
/// or reordered. `flush()` returns once everything appended so far is
/// written; `tessera serve` calls it when it stops, so SIGINT and SIGTERM
/// lose nothing. A SIGKILL loses at most the lines of the last batch not yet
/// written (about a millisecond's worth). If the descriptor cannot keep up,
/// appending waits once `limit` bytes are pending, so memory stays bounded.
final class LogWriter: @unchecked Sendable {
    static let standardError = LogWriter(descriptor: 2)

    private let descriptor: Int32
    private let limit: Int
    private let gatherMicroseconds: UInt32
    // Guarded by `mutex`.
    private var pending: [UInt8] = []
    private var idle = false
    private var writing = false
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Signalled when lines arrive while the writer is idle.
    private let arrived: UnsafeMutablePointer<pthread_cond_t>
    /// Broadcast after every batch is written.
    private let drained: UnsafeMutablePointer<pthread_cond_t>

    init(descriptor: Int32, limit: Int = 4 << 20, gatherMicroseconds: UInt32 = 1000) {
        self.descriptor = descriptor
        self.limit = limit
        self.gatherMicroseconds = gatherMicroseconds
        mutex = .allocate(capacity: 1)
        arrived = .allocate(capacity: 1)
        drained = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(arrived, nil)
        pthread_cond_init(drained, nil)
        pending.reserveCapacity(64 << 10)
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "tessera-log"
        thread.start()
    }

    /// Queues `line` (which ends in a newline) for writing.
    func append(_ line: UnsafeRawBufferPointer) {
        pthread_mutex_lock(mutex)
        while pending.count >= limit {
            pthread_cond_wait(drained, mutex)
        }
        pending.append(contentsOf: line)
        let wake = idle
        idle = false
        pthread_mutex_unlock(mutex)
        if wake { pthread_cond_signal(arrived) }
    }

    /// Waits until every line appended before this call has been written.
    func flush() {
        pthread_mutex_lock(mutex)
        while !pending.isEmpty || writing {
            pthread_cond_wait(drained, mutex)
        }
        pthread_mutex_unlock(mutex)
    }

    private func run() {
        var batch: [UInt8] = []
        batch.reserveCapacity(64 << 10)
        while true {
            pthread_mutex_lock(mutex)
            while pending.isEmpty {
                idle = true
                pthread_cond_wait(arrived, mutex)
            }
            idle = false
            writing = true
            pthread_mutex_unlock(mutex)
            // Let the lines of the next moment join this one's write.
            usleep(gatherMicroseconds)
            pthread_mutex_lock(mutex)
            swap(&batch, &pending)
            pthread_mutex_unlock(mutex)
            batch.withUnsafeBytes { _ = LocalFiles.writeAll($0, to: descriptor) }
            batch.removeAll(keepingCapacity: true)
            pthread_mutex_lock(mutex)
            writing = false
            pthread_cond_broadcast(drained)
            pthread_mutex_unlock(mutex)
        }
    }
}
