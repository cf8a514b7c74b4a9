import APIServer
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TesseraStore

/// One token's latest use, shared by every cached credential of that token
/// (its own secret and its access tokens). Recording a use is two atomic
/// operations and, for its client address, one atomic read when it is the
/// IPv4 client that used the token last (already waiting for the flush),
/// else a short lock; the token joins the flush queue only when it was
/// not queued.
public final class TokenUsage: Sendable {
    let tokenID: UUID
    /// Milliseconds; 0 when unused in this process.
    let latest = Atomic<Int64>(0)
    let queued = Atomic<Bool>(false)
    /// The addresses it was used from (`RecentClients`).
    let clients = Mutex(RecentClients())
    /// `clients.frontWord`, readable without the lock: nonzero while the
    /// client that used the token last is an IPv4 peer (`ClientAddressKey.word`)
    /// whose use is waiting for the flush.
    let frontWord = Atomic<UInt64>(0)

    init(tokenID: UUID) {
        self.tokenID = tokenID
    }

    var latestTime: Milliseconds? {
        let value = latest.load(ordering: .acquiring)
        return value > 0 ? value : nil
    }

    /// `last_used_ips` as this process knows it: the stored list it was
    /// seeded with and every use since, newest first.
    var lastUsedIPs: [String] { clients.withLock { $0.published } }

    /// Records a use by the client of `key`; false when its address is
    /// not known yet.
    func use(_ key: ClientAddressKey) -> Bool {
        if let word = key.word, frontWord.load(ordering: .acquiring) == word { return true }
        return withClients { $0.use(key) }
    }

    /// Changes `clients` and keeps `frontWord` in step.
    func withClients<T>(_ body: (inout RecentClients) -> T) -> T {
        clients.withLock { state in
            let result = body(&state)
            frontWord.store(state.frontWord, ordering: .releasing)
            return result
        }
    }
}

/// A token's client addresses in memory. Each address is made into text
/// once per client (remembered with its `ClientAddressKey`), so a request
/// from the client that used the token last only compares a key.
struct RecentClients {
    struct Entry {
        /// nil for an address seeded from the database, until a request
        /// from it is seen.
        var key: ClientAddressKey?
        var address: String
    }

    /// Clients whose text is remembered (more than the 5 shown, so a key
    /// shared by a few more hosts does not format an address per request).
    static let remembered = 16

    /// Newest first, distinct addresses, at most `remembered`.
    private(set) var recent: [Entry] = []
    /// The first `LastUsedIPs.limit` addresses of `recent`.
    private(set) var published: [String] = []
    /// Whether `recent[0]` was used since the last flush began (so it
    /// leads `unflushed`).
    private var frontUnflushed = false
    /// Addresses used since the last flush began, newest first, distinct,
    /// at most `LastUsedIPs.limit`.
    private(set) var unflushed: [String] = []
    /// Those a flush is writing (shown until it commits).
    private(set) var inFlight: [String] = []

    /// The front client's `ClientAddressKey.word` while its use waits for
    /// the flush; 0 otherwise.
    var frontWord: UInt64 {
        guard frontUnflushed, let key = recent.first?.key else { return 0 }
        return key.word ?? 0
    }

    /// Adds a stored list behind what this process has seen.
    mutating func seed(_ stored: [String]) {
        for address in stored where recent.count < Self.remembered && !recent.contains(where: { $0.address == address }) {
            recent.append(Entry(key: nil, address: address))
        }
        publish()
    }

    /// Records a use by the client of `key`; false when its address is
    /// not known yet (the caller makes its text and calls `use(_:address:)`).
    mutating func use(_ key: ClientAddressKey) -> Bool {
        if frontUnflushed, recent.first?.key == key { return true }
        guard let index = recent.firstIndex(where: { $0.key == key }) else { return false }
        moveToFront(index)
        return true
    }

    /// Records a use by the client of `key`, whose address is `address`.
    mutating func use(_ key: ClientAddressKey, address: String) {
        if let index = recent.firstIndex(where: { $0.address == address }) {
            recent[index].key = key
            moveToFront(index)
            return
        }
        recent.insert(Entry(key: key, address: address), at: 0)
        if recent.count > Self.remembered { recent.removeLast() }
        frontUnflushed = false
        markFront()
        publish()
    }

    private mutating func moveToFront(_ index: Int) {
        if index > 0 {
            recent.insert(recent.remove(at: index), at: 0)
            frontUnflushed = false
            publish()
        }
        markFront()
    }

    private mutating func markFront() {
        guard !frontUnflushed else { return }
        unflushed = LastUsedIPs.merge([recent[0].address], unflushed)
        frontUnflushed = true
    }

    private mutating func publish() {
        let first = recent.prefix(LastUsedIPs.limit).map(\.address)
        if first != published { published = first }
    }

    /// The addresses to write (moved to `inFlight`).
    mutating func takeUnflushed() -> [String] {
        inFlight = LastUsedIPs.merge(unflushed, inFlight)
        unflushed = []
        frontUnflushed = false
        return inFlight
    }

    /// The flush committed (`written`) or failed (they wait for the next).
    mutating func finishFlush(written: Bool) {
        if !written { unflushed = LastUsedIPs.merge(unflushed, inFlight) }
        inFlight = []
    }

    /// What is not in the database yet, newest first.
    var pending: [String] {
        inFlight.isEmpty ? unflushed : LastUsedIPs.merge(unflushed, inFlight)
    }
}

/// Coalesces `last_used_at` and `last_used_ips` writes: every successful
/// authentication records its time and client in memory; `flush` writes
/// the changed ones in one transaction. `LastUsedFlusher` flushes every
/// 250 ms (well within the promised 1 s), and the server flushes once more
/// after it stops accepting requests.
public final class LastUsedRecorder: Sendable {
    private let usages = Mutex<[UUID: TokenUsage]>([:])
    private let queue = Mutex<[TokenUsage]>([])

    /// The usage record of a token (made on first sight; looked up when a
    /// credential enters the verification cache, not per request), with
    /// `stored` (its `last_used_ips` as just read) behind the addresses
    /// this process has seen.
    func usage(for tokenID: UUID, stored: [String] = []) -> TokenUsage {
        let usage = usages.withLock { usages in
            if let usage = usages[tokenID] { return usage }
            let usage = TokenUsage(tokenID: tokenID)
            usages[tokenID] = usage
            return usage
        }
        if !stored.isEmpty { usage.withClients { $0.seed(stored) } }
        return usage
    }

    /// Records a use at `time` by the client of `key` (nil: no IP peer).
    /// `address` makes the client's text; it is called only for a client
    /// this token's record does not know yet.
    func record(_ usage: TokenUsage, at time: Milliseconds, from key: ClientAddressKey?, address: () -> String?) {
        var current = usage.latest.load(ordering: .relaxed)
        while current < time {
            let (exchanged, original) = usage.latest.compareExchange(
                expected: current, desired: time, ordering: .acquiringAndReleasing
            )
            if exchanged { break }
            current = original
        }
        if let key, !usage.use(key), let text = address() {
            usage.withClients { $0.use(key, address: text) }
        }
        if !usage.queued.exchange(true, ordering: .acquiringAndReleasing) {
            queue.withLock { $0.append(usage) }
        }
    }

    /// The latest use and the addresses seen in memory and not yet in the
    /// database (newest first).
    func pending(_ tokenID: UUID) -> (time: Milliseconds?, addresses: [String]) {
        guard let usage = usages.withLock({ $0[tokenID] }) else { return (nil, []) }
        return (usage.latestTime, usage.clients.withLock { $0.pending })
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

    /// Writes what changed since the last flush; on failure the times and
    /// addresses are queued again for the next attempt.
    public func flush(to store: any TokenStore, now: Milliseconds) async throws {
        let batch = queue.withLock { queue in
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            return batch
        }
        guard !batch.isEmpty else { return }
        var uses: [UUID: TokenUse] = [:]
        for usage in batch {
            // Cleared before reading, so a use that lands after this read
            // queues the token again.
            usage.queued.store(false, ordering: .sequentiallyConsistent)
            let addresses = usage.withClients { $0.takeUnflushed() }
            guard let time = usage.latestTime else { continue }
            // Two records of one token (one released, one cached again):
            // the later time, the newer addresses first.
            if let other = uses[usage.tokenID] {
                uses[usage.tokenID] = TokenUse(time: max(time, other.time), addresses: LastUsedIPs.merge(addresses, other.addresses))
            } else {
                uses[usage.tokenID] = TokenUse(time: time, addresses: addresses)
            }
        }
        do {
            try await store.flushLastUsed(uses, now: now)
        } catch {
            for usage in batch {
                usage.withClients { $0.finishFlush(written: false) }
                if !usage.queued.exchange(true, ordering: .acquiringAndReleasing) {
                    queue.withLock { $0.append(usage) }
                }
            }
            throw error
        }
        for usage in batch { usage.withClients { $0.finishFlush(written: true) } }
    }
}

/// The background task that flushes `last_used_at` (and `last_used_ips`)
/// every `interval`.
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
                logger.error("could not record last_used_at and last_used_ips", metadata: ["error": "\(store.describeFailure(error))"])
            }
        }
    }
}
