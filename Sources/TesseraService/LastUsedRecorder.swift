import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TesseraStore

/// One token's latest use, shared by every cached credential of that token
/// (its own secret and its access tokens). Recording a use is two atomic
/// operations; the token joins the flush queue only when it was not queued.
public final class TokenUsage: Sendable {
    let tokenID: UUID
    /// Milliseconds; 0 when unused in this process.
    let latest = Atomic<Int64>(0)
    let queued = Atomic<Bool>(false)

    init(tokenID: UUID) {
        self.tokenID = tokenID
    }

    var latestTime: Milliseconds? {
        let value = latest.load(ordering: .acquiring)
        return value > 0 ? value : nil
    }
}

/// Coalesces `last_used_at` writes: every successful authentication records
/// its time in memory; `flush` writes the changed ones in one transaction.
/// `LastUsedFlusher` flushes every 250 ms (well within the promised 1 s),
/// and the server flushes once more after it stops accepting requests.
public final class LastUsedRecorder: Sendable {
    private let usages = Mutex<[UUID: TokenUsage]>([:])
    private let queue = Mutex<[TokenUsage]>([])

    /// The usage record of a token (made on first sight; looked up when a
    /// credential enters the verification cache, not per request).
    func usage(for tokenID: UUID) -> TokenUsage {
        usages.withLock { usages in
            if let usage = usages[tokenID] { return usage }
            let usage = TokenUsage(tokenID: tokenID)
            usages[tokenID] = usage
            return usage
        }
    }

    func record(_ usage: TokenUsage, at time: Milliseconds) {
        var current = usage.latest.load(ordering: .relaxed)
        while current < time {
            let (exchanged, original) = usage.latest.compareExchange(
                expected: current, desired: time, ordering: .acquiringAndReleasing
            )
            if exchanged { break }
            current = original
        }
        if !usage.queued.exchange(true, ordering: .acquiringAndReleasing) {
            queue.withLock { $0.append(usage) }
        }
    }

    /// The latest use seen in memory, which may be newer than the database.
    func latest(_ tokenID: UUID) -> Milliseconds? {
        usages.withLock { $0[tokenID] }?.latestTime
    }

    func forget(_ tokenID: UUID) {
        _ = usages.withLock { $0.removeValue(forKey: tokenID) }
    }

    /// Drops the usage records of tokens the verification cache no longer
    /// holds, so this map is bounded by the cache, not by every token ever
    /// seen. One with a time still to write stays until a later release
    /// (its time is written by the next flush either way; an entry cached
    /// again meanwhile gets its own record, and writes never move
    /// `last_used_at` backwards).
    func release(_ tokenIDs: [UUID]) {
        guard !tokenIDs.isEmpty else { return }
        usages.withLock { usages in
            for id in tokenIDs {
                if let usage = usages[id], !usage.queued.load(ordering: .acquiring) {
                    usages.removeValue(forKey: id)
                }
            }
        }
    }

    /// Writes what changed since the last flush; on failure the times are
    /// queued again for the next attempt.
    public func flush(to store: any TokenStore, now: Milliseconds) async throws {
        let batch = queue.withLock { queue in
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            return batch
        }
        guard !batch.isEmpty else { return }
        var times: [UUID: Milliseconds] = [:]
        for usage in batch {
            // Cleared before reading, so a use that lands after this read
            // queues the token again.
            usage.queued.store(false, ordering: .sequentiallyConsistent)
            if let time = usage.latestTime { times[usage.tokenID] = time }
        }
        do {
            try await store.flushLastUsed(times, now: now)
        } catch {
            for usage in batch where !usage.queued.exchange(true, ordering: .acquiringAndReleasing) {
                queue.withLock { $0.append(usage) }
            }
            throw error
        }
    }
}

/// The background task that flushes `last_used_at` every `interval`.
struct LastUsedFlusher: Service {
    let recorder: LastUsedRecorder
    let store: any TokenStore
    let clock: TesseraClock
    let logger: Logger
    var interval: Duration = .milliseconds(250)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: interval)
            do {
                try await recorder.flush(to: store, now: clock.now())
            } catch {
                logger.error("could not record last_used_at", metadata: ["error": "\(store.describeFailure(error))"])
            }
        }
    }
}
