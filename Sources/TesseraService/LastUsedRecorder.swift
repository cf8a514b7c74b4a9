import Logging
import ServiceLifecycle
import Synchronization
import TesseraStore

/// Coalesces `last_used_at` writes: every successful authentication records
/// its time in memory; `flush` writes the changed ones in one transaction.
/// `LastUsedFlusher` flushes every 250 ms (well within the promised 1 s),
/// and the server flushes once more after it stops accepting requests.
public final class LastUsedRecorder: Sendable {
    struct State {
        /// The latest use of each token this process has seen.
        var latest: [String: Milliseconds] = [:]
        /// Those not yet written.
        var dirty: [String: Milliseconds] = [:]
    }

    private let state = Mutex(State())

    func record(_ tokenID: String, at time: Milliseconds) {
        state.withLock { state in
            if let previous = state.latest[tokenID], previous >= time { return }
            state.latest[tokenID] = time
            state.dirty[tokenID] = time
        }
    }

    /// The latest use seen in memory, which may be newer than the database.
    func latest(_ tokenID: String) -> Milliseconds? {
        state.withLock { $0.latest[tokenID] }
    }

    func forget(_ tokenID: String) {
        state.withLock { state in
            state.latest[tokenID] = nil
            state.dirty[tokenID] = nil
        }
    }

    /// Writes what changed since the last flush; on failure the times are
    /// kept for the next attempt.
    public func flush(to store: TesseraStore, now: Milliseconds) async throws {
        let batch = state.withLock { state in
            let batch = state.dirty
            state.dirty.removeAll(keepingCapacity: true)
            return batch
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.flushLastUsed(batch, now: now)
        } catch {
            state.withLock { state in
                for (id, time) in batch where (state.dirty[id] ?? 0) < time { state.dirty[id] = time }
            }
            throw error
        }
    }
}

/// The background task that flushes `last_used_at` and prunes expired
/// access tokens.
struct LastUsedFlusher: Service {
    let recorder: LastUsedRecorder
    let store: TesseraStore
    let clock: TesseraClock
    let logger: Logger
    var interval: Duration = .milliseconds(250)

    func run() async throws {
        var ticks = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: interval)
            do {
                try await recorder.flush(to: store, now: clock.now())
                ticks += 1
                if ticks % 240 == 0 { try await store.pruneExpiredAccessTokens(now: clock.now()) }
            } catch {
                logger.error("could not record last_used_at", metadata: ["error": "\(error)"])
            }
        }
    }
}
